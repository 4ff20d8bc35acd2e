namespace Cutover.Store;

/// <summary>
/// Every replica's metrics buckets, so the replicas sharing a store judge a plan on the traffic of
/// the whole fleet rather than on their own share of it.
/// </summary>
public interface IMetricsBucketStore : IStore
{
    /// <summary>
    /// Stores a replica's buckets, each replacing what the same replica stored for the same
    /// migration and start: a replica sends the bucket in progress again as it fills, so the
    /// others judge on data at most a flush old.
    /// </summary>
    Task SaveMetricsAsync(IReadOnlyList<ReplicaBucket> buckets, CancellationToken cancellationToken = default);

    /// <summary>Every replica's buckets of every migration that start at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<ReplicaBucket>> GetMetricsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Deletes the buckets that start before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneMetricsAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
