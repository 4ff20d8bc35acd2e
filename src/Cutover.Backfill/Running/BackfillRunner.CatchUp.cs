using System.Data.Common;
using Cutover.Backfill.CatchUp;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Targets;
using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>Catch-up: copying again the rows that changed in the source after a completed copy.</summary>
public sealed partial class BackfillRunner
{
    /// <summary>
    /// Runs catch-up passes on the completed job called <paramref name="name"/>: each reads the change
    /// column's high-water mark, upserts the rows whose change value is above the mark recorded when
    /// the previous pass started, then records the new mark. Passes repeat until one copies fewer
    /// than <c>catchUp.maxLagRows</c> rows or <c>catchUp.maxPasses</c> have run. A pass that fails
    /// keeps the old mark, so the next catch-up copies its rows again (upserts make that harmless).
    /// </summary>
    public Task<CatchUpResult> CatchUpAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return LeasedAsync(name, async ct =>
        {
            var (record, job) = await StoredAsync(name, ct);
            if (job.ChangeColumn is null)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' has no changeColumn, so there is no way to tell which rows changed; add e.g. 'changeColumn: updated_at' to the job file and run it again with `cutover backfill run -f JOB.yaml --restart`.");
            }

            if (record.Status != BackfillStatus.Completed)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' has not completed its copy ({record.RowsCopied} rows, {Text(record.Status)}); catch-up follows a full copy. Run `cutover backfill resume {name}` first.");
            }

            var sourceDatabase = BackfillDatabase.For(job.Source);
            var targetDatabase = BackfillDatabase.For(job.Target);
            CheckedSchema schema;
            await using (var sourceConnection = await sourceDatabase.OpenAsync("source", ct))
            await using (var targetConnection = await targetDatabase.OpenAsync("target", ct))
            {
                schema = await SchemaCheck.RunAsync(job, sourceDatabase, sourceConnection, targetDatabase, targetConnection, ct);
            }

            await using IBatchTarget target = new UpsertTarget(await targetDatabase.OpenAsync("target", ct), targetDatabase, job, schema.Target, schema.TargetColumns);
            var limiter = new RowRateLimiter(job.RateLimit, time);
            var passes = new List<long>();
            var leasedAt = Now();
            while (true)
            {
                await using var sourceConnection = await sourceDatabase.OpenAsync("source", ct);
                string? mark;
                long rows;
                try
                {
                    mark = await HighWaterMark.ReadAsync(sourceConnection, job, schema.SourceFrom, ct);
                    (rows, leasedAt) = await CopyChangedAsync(job, sourceConnection, schema.SourceFrom, HighWaterMark.Decode(record.HighWater), target, limiter, leasedAt, ct);
                }
                catch (Exception e) when (e is DbException or RowRejectedException or InvalidCastException)
                {
                    throw new BackfillFailedException(
                        $"Catch-up of backfill job '{name}' failed in pass {passes.Count + 1}: {e.Message.TrimEnd('.')}. " +
                        $"Fix the cause and run `cutover backfill catchup {name}` again; the high-water mark was kept, so the pass is copied again.",
                        e);
                }

                passes.Add(rows);
                record = record with { HighWater = mark ?? record.HighWater, UpdatedAt = Now() };
                await store.SaveBackfillAsync(record, ct);
                if (rows < job.CatchUp.MaxLagRows || passes.Count == job.CatchUp.MaxPasses)
                {
                    return new CatchUpResult(record, passes, rows < job.CatchUp.MaxLagRows);
                }
            }
        }, cancellationToken);
    }

    /// <summary>One pass: the rows changed after <paramref name="mark"/>, read in key order by batches and upserted.</summary>
    private async Task<(long Rows, DateTimeOffset LeasedAt)> CopyChangedAsync(
        BackfillJob job, DbConnection connection, string? from, object? mark, IBatchTarget target, RowRateLimiter limiter, DateTimeOffset leasedAt, CancellationToken cancellationToken)
    {
        await using var source = new KeysetSource(connection, job, from, new ChangedSince(mark));
        IReadOnlyList<object?>? lastKey = null;
        long copied = 0;
        while (true)
        {
            await limiter.WaitAsync(cancellationToken);
            var rows = await source.ReadAsync(lastKey, job.BatchSize, cancellationToken);
            if (rows.Count > 0)
            {
                await target.WriteAsync(rows, cancellationToken);
                limiter.Copied(rows.Count);
                copied += rows.Count;
                lastKey = job.KeyColumns.Select(i => rows[^1][i]).ToList();
            }

            if (rows.Count < job.BatchSize)
            {
                return (copied, leasedAt);
            }

            leasedAt = await RenewAsync(job.Name, leasedAt, cancellationToken);
        }
    }
}
