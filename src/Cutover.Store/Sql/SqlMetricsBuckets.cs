using System.Data.Common;
using Cutover.Kernel.Metrics;

namespace Cutover.Store.Sql;

/// <summary>
/// Every replica's metrics buckets, one row per migration, bucket start and replica, so several
/// replicas judge one fleet.
/// </summary>
internal sealed class SqlMetricsBuckets(SqlDatabase database)
{
    private const string BucketColumns = """
        migration, bucket_start, replica, legacy_requests, legacy_errors, legacy_latency,
        candidate_requests, candidate_errors, candidate_latency, compared, divergent, rescued
        """;

    /// <inheritdoc cref="IMetricsBucketStore.SaveMetricsAsync"/>
    public Task SaveMetricsAsync(IReadOnlyList<ReplicaBucket> buckets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0)
        {
            return Task.CompletedTask;
        }

        const string Upsert = $"""
            INSERT INTO metric_buckets ({BucketColumns})
            VALUES (@migration, @bucket_start, @replica, @legacy_requests, @legacy_errors, @legacy_latency,
                    @candidate_requests, @candidate_errors, @candidate_latency, @compared, @divergent, @rescued)
            ON CONFLICT (migration, bucket_start, replica) DO UPDATE SET
                legacy_requests = excluded.legacy_requests,
                legacy_errors = excluded.legacy_errors,
                legacy_latency = excluded.legacy_latency,
                candidate_requests = excluded.candidate_requests,
                candidate_errors = excluded.candidate_errors,
                candidate_latency = excluded.candidate_latency,
                compared = excluded.compared,
                divergent = excluded.divergent,
                rescued = excluded.rescued
            """;
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            foreach (var (migration, replica, bucket) in buckets)
            {
                await connection.ExecuteAsync(
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
                    ("divergent", bucket.Divergent),
                    ("rescued", bucket.Rescued));
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IMetricsBucketStore.GetMetricsAsync"/>
    public Task<IReadOnlyList<ReplicaBucket>> GetMetricsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<ReplicaBucket>>(
            async (connection, ct) => await connection.QueryAsync(
                $"SELECT {BucketColumns} FROM metric_buckets WHERE bucket_start >= @since ORDER BY bucket_start, migration, replica",
                ReadBucket,
                ct,
                ("since", since.ToUnixTimeMilliseconds())),
            cancellationToken);

    /// <inheritdoc cref="IMetricsBucketStore.PruneMetricsAsync"/>
    public Task<int> PruneMetricsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var deleted = await connection.ExecuteAsync(
                transaction, "DELETE FROM metric_buckets WHERE bucket_start < @before", ct, ("before", before.ToUnixTimeMilliseconds()));
            await transaction.CommitAsync(ct);
            return deleted;
        }, cancellationToken);

    private static ReplicaBucket ReadBucket(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(2),
        new MetricsBucket(
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            new SideBucket(reader.GetInt64(3), reader.GetInt64(4), HistogramSnapshot.FromBytes(reader.GetFieldValue<byte[]>(5))),
            new SideBucket(reader.GetInt64(6), reader.GetInt64(7), HistogramSnapshot.FromBytes(reader.GetFieldValue<byte[]>(8))),
            reader.GetInt64(9),
            reader.GetInt64(10),
            reader.GetInt64(11)));
}
