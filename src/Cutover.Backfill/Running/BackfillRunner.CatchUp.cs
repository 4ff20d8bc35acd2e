using Cutover.Backfill.CatchUp;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Transforms;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>Catch-up: copying again the rows that changed in the source after a completed copy.</summary>
public sealed partial class BackfillRunner
{
    /// <summary>
    /// Runs catch-up passes on the completed job called <paramref name="name"/>: each reads the change
    /// column's high-water mark, upserts the rows whose change value is above the mark recorded when
    /// the previous pass started (less <c>catchUp.margin</c> for a time), then records the new mark.
    /// Passes repeat until one copies fewer than <c>catchUp.maxLagRows</c> rows, the mark stays
    /// where it was, or <c>catchUp.maxPasses</c> have run. A pass that fails
    /// keeps the old mark, so the next catch-up copies its rows again (upserts make that harmless), and
    /// records why on the job (the last error <c>status</c> shows until a pass succeeds).
    /// Changed rows go through the job's transform and <c>onError</c> as in the full copy, so a
    /// skipped row is added to the job's skipped rows and keeps its old target row.
    /// </summary>
    public Task<CatchUpResult> CatchUpAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var lease = new JobLease(store, time, name);
        return lease.HoldAsync(async ct =>
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
                    $"Backfill job '{name}' has not completed its copy ({Rows(record.RowsCopied)}, {Text(record.Status)}); catch-up follows a full copy. Run `cutover backfill resume {name}` first.");
            }

            var limiter = new RowRateLimiter(job.RateLimit, time);
            var transform = new BatchTransform(job, Transform ?? job.Transform);
            var passes = new List<long>();
            var loop = new CopyLoop(store, time, Retrying);
            var waits = new RunWaits(store, time, Progress);
            while (true)
            {
                await using var copier = await BatchCopier.OpenAsync(job, new ChangedSince(HighWaterMark.Below(record.HighWater, job.CatchUp.Margin)), ct);
                string? mark;
                long rows;
                string? skipped;
                try
                {
                    mark = await HighWaterMark.ReadAsync(copier.Databases.SourceConnection, job, copier.Databases.Schema.SourceFrom, ct);
                    var run = new CopyRun(job, copier, transform, new AdaptiveThrottle(job.Throttle, time), limiter);
                    var pass = new CatchUpCheckpoint(waits, run, lease, record);
                    await loop.RunAsync(run, pass, ct, ct);
                    (rows, skipped) = (pass.Copied, pass.Tally.Skipped);
                }
                catch (Exception e) when (CopyFailure.InCopy(e))
                {
                    await store.SaveBackfillAsync(record with { UpdatedAt = Now(), LastError = e.Message }, CancellationToken.None);
                    throw new BackfillFailedException(
                        $"Catch-up of backfill job '{name}' failed in pass {passes.Count + 1}{BackfillRetry.Spent(job.Retries.Attempts, e, "after")}: {e.Message.TrimEnd('.')}. " +
                        $"Fix the cause and run `cutover backfill catchup {name}` again; the high-water mark was kept, so the pass is copied again.",
                        e);
                }

                passes.Add(rows);

                // A mark that did not move means no row changed since the pass began: another
                // would only copy the rows within the margin again.
                var caughtUp = rows < job.CatchUp.MaxLagRows || (mark ?? record.HighWater) == record.HighWater;
                record = record with { HighWater = mark ?? record.HighWater, Skipped = skipped, UpdatedAt = Now(), LastError = null };
                await store.SaveBackfillAsync(record, ct);
                if (caughtUp || passes.Count == job.CatchUp.MaxPasses)
                {
                    return new CatchUpResult(record, passes, caughtUp);
                }
            }
        }, cancellationToken);
    }
}
