using Cutover.Kernel.Metrics;
using Cutover.Store;

namespace Cutover.Server.Metrics;

/// <summary>
/// A migration's traffic across every replica, as this replica sees it: its own history, live to
/// the moment, plus the other replicas' buckets as last read from the store (a flush old at most).
/// The orchestrator, the metrics API and the pre-migration checks read windows here, so a plan is
/// judged on the whole fleet's traffic, and a replica that restarts keeps judging on what its
/// previous run counted.
/// </summary>
public sealed class SharedMetrics
{
    private readonly MetricsRegistry _local;
    private volatile IReadOnlyDictionary<string, IReadOnlyList<ReplicaBucket>> _others =
        new Dictionary<string, IReadOnlyList<ReplicaBucket>>(StringComparer.Ordinal);

    /// <summary>The metrics of the replica called <paramref name="replica"/>, counted in <paramref name="local"/>.</summary>
    public SharedMetrics(MetricsRegistry local, string replica)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentException.ThrowIfNullOrEmpty(replica);
        _local = local;
        Replica = replica;
    }

    /// <summary>This replica's name in the store.</summary>
    public string Replica { get; }

    /// <summary>
    /// The buckets that overlap the last <paramref name="length"/> before <paramref name="now"/>,
    /// oldest first, each the sum of every replica's share of it; the last is the one in progress.
    /// </summary>
    public IReadOnlyList<MetricsBucket> Recent(string migration, TimeSpan length, DateTimeOffset now)
    {
        var own = _local.History(migration).Recent(length, now);
        if (!_others.TryGetValue(migration, out var others) || others.Count == 0)
        {
            return own;
        }

        var from = now - length;
        return
        [
            .. own.Concat(others.Select(o => o.Bucket).Where(b => b.Start + MetricsHistory.BucketLength > from && b.Start <= now))
                .GroupBy(b => b.Start)
                .OrderBy(g => g.Key)
                .Select(g => g.Count() == 1 ? g.First() : MetricsBucket.Merge(g.Key, [.. g])),
        ];
    }

    /// <summary>
    /// Both sides over the buckets that overlap <paramref name="from"/> to <paramref name="now"/>;
    /// with <paramref name="from"/> on a bucket boundary, exactly the traffic recorded since it
    /// (none while it is still ahead).
    /// </summary>
    public MetricsWindow Window(string migration, DateTimeOffset from, DateTimeOffset now) =>
        MetricsWindow.Of(Recent(migration, now - from, now), from, now);

    /// <summary>How many replicas (this one and the others, a restarted one's earlier run included) counted traffic of the migration in the last <paramref name="length"/>.</summary>
    public int Replicas(string migration, TimeSpan length, DateTimeOffset now)
    {
        var from = now - length;
        var others = _others.TryGetValue(migration, out var stored)
            ? stored.Where(o => o.Bucket.Start + MetricsHistory.BucketLength > from).Select(o => o.Replica).Distinct(StringComparer.Ordinal).Count()
            : 0;
        return others + (_local.History(migration).Recent(length, now).Count > 0 ? 1 : 0);
    }

    /// <summary>Replaces what is known of the other replicas' buckets (the exchange's latest read).</summary>
    internal void SetOthers(IReadOnlyDictionary<string, IReadOnlyList<ReplicaBucket>> others) => _others = others;
}
