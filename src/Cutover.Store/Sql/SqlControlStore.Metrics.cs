using System.Data.Common;
using Cutover.Core.Metrics;

namespace Cutover.Store.Sql;

/// <summary>The shared metrics and the leases: what lets several replicas judge one fleet and run each plan once.</summary>
internal abstract partial class SqlControlStore
{
    private const string BucketColumns = """
        migration, bucket_start, replica, legacy_requests, legacy_errors, legacy_latency,
        candidate_requests, candidate_errors, candidate_latency, compared, divergent
        """;

    /// <inheritdoc />
    public Task SaveMetricsAsync(IReadOnlyList<ReplicaBucket> buckets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0)
        {
            return Task.CompletedTask;
        }

        const string Upsert = $"""
            INSERT INTO metric_buckets ({BucketColumns})
            VALUES (@migration, @bucket_start, @replica, @legacy_requests, @legacy_errors, @legacy_latency,
                    @candidate_requests, @candidate_errors, @candidate_latency, @compared, @divergent)
            ON CONFLICT (migration, bucket_start, replica) DO UPDATE SET
                legacy_requests = excluded.legacy_requests,
                legacy_errors = excluded.legacy_errors,
                legacy_latency = excluded.legacy_latency,
                candidate_requests = excluded.candidate_requests,
                candidate_errors = excluded.candidate_errors,
                candidate_latency = excluded.candidate_latency,
                compared = excluded.compared,
                divergent = excluded.divergent
            """;
        return RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            foreach (var (migration, replica, bucket) in buckets)
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    Upsert,
                    ct,
                    ("migration", migration),
                    ("bucket_start", bucket.Start.ToUnixTimeMilliseconds()),
                    ("replica", replica),
                    ("legacy_requests", bucket.Legacy.Requests),
                    ("legacy_errors", bucket.Legacy.Errors),
                    ("legacy_latency", bucket.Legacy.Latency.ToBytes()),
                    ("candidate_requests", bucket.Candidate.Requests),
                    ("candidate_errors", bucket.Candidate.Errors),
                    ("candidate_latency", bucket.Candidate.Latency.ToBytes()),
                    ("compared", bucket.Compared),
                    ("divergent", bucket.Divergent));
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReplicaBucket>> GetMetricsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<ReplicaBucket>>(
            async (connection, ct) => await QueryAsync(
                connection,
                $"SELECT {BucketColumns} FROM metric_buckets WHERE bucket_start >= @since ORDER BY bucket_start, migration, replica",
                ReadBucket,
                ct,
                ("since", since.ToUnixTimeMilliseconds())),
            cancellationToken);

    /// <inheritdoc />
    public Task<int> PruneMetricsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            var deleted = await ExecuteAsync(
                connection, transaction, "DELETE FROM metric_buckets WHERE bucket_start < @before", ct, ("before", before.ToUnixTimeMilliseconds()));
            await transaction.CommitAsync(ct);
            return deleted;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        const string Take = """
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires_at)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < @now
            """;
        return RunAsync(async (connection, ct) =>
        {
            var now = Now();
            await using var transaction = await BeginWriteAsync(connection, ct);
            var taken = await ExecuteAsync(
                connection, transaction, Take, ct, ("name", name), ("holder", holder), ("expires_at", ToDatabase(now + term)), ("now", ToDatabase(now)));
            await transaction.CommitAsync(ct);
            return taken == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            await ExecuteAsync(connection, transaction, "DELETE FROM leases WHERE name = @name AND holder = @holder", ct, ("name", name), ("holder", holder));
            await transaction.CommitAsync(ct);
        }, cancellationToken);

    private static ReplicaBucket ReadBucket(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(2),
        new MetricsBucket(
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            new SideBucket(reader.GetInt64(3), reader.GetInt64(4), HistogramSnapshot.FromBytes(reader.GetFieldValue<byte[]>(5))),
            new SideBucket(reader.GetInt64(6), reader.GetInt64(7), HistogramSnapshot.FromBytes(reader.GetFieldValue<byte[]>(8))),
            reader.GetInt64(9),
            reader.GetInt64(10)));
}
