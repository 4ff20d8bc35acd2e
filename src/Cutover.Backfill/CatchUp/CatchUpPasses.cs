using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.CatchUp;

/// <summary>
/// The catch-up passes of a completed job, each a run of the one copy loop over the rows changed
/// since the previous pass's high-water mark; the mark is saved only when a pass ends, so a pass
/// that fails is copied again whole by the next catch-up.
/// </summary>
internal sealed class CatchUpPasses(IBackfillStore store, TimeProvider time, RunSettings settings)
{
    /// <summary>Runs passes on <paramref name="job"/> from <paramref name="record"/>'s mark until one copies fewer than <c>catchUp.maxLagRows</c> rows, the mark stays, or <c>catchUp.maxPasses</c> have run.</summary>
    public async Task<CatchUpResult> RunAsync(BackfillJob job, BackfillRecord record, JobLease lease, CancellationToken cancellationToken)
    {
        var limiter = new RowRateLimiter(job.RateLimit, time);
        var transform = new BatchTransform(job, settings.Transform ?? job.Transform);
        var passes = new List<long>();
        var loop = new CopyLoop(store, time, settings.Retrying);
        var waits = new RunWaits(store, time, settings.Progress);
        while (true)
        {
            await using var copier = await BatchCopier.OpenAsync(job, new ChangedSince(HighWaterMark.Below(record.HighWater, job.CatchUp.Margin)), cancellationToken);
            string? mark;
            long rows;
            string? skipped;
            try
            {
                mark = await HighWaterMark.ReadAsync(copier.Databases.SourceConnection, job, copier.Databases.Schema.SourceFrom, cancellationToken);
                var run = new CopyRun(job, copier, transform, new AdaptiveThrottle(job.Throttle, time), limiter);
                var pass = new CatchUpCheckpoint(waits, run, lease, record);
                await loop.RunAsync(run, pass, cancellationToken, cancellationToken);
                (rows, skipped) = (pass.Copied, pass.Tally.Skipped);
            }
            catch (Exception e) when (CopyFailure.InCopy(e))
            {
                await store.SaveBackfillAsync(record with { UpdatedAt = StoreTime.Now(time), LastError = e.Message }, CancellationToken.None);
                throw new BackfillFailedException(
                    $"Catch-up of backfill job '{job.Name}' failed in pass {passes.Count + 1}{BackfillRetry.Spent(job.Retries.Attempts, e, "after")}: {e.Message.TrimEnd('.')}. " +
                    $"Fix the cause and run `cutover backfill catchup {job.Name}` again; the high-water mark was kept, so the pass is copied again.",
                    e);
            }

            passes.Add(rows);

            // A mark that did not move means no row changed since the pass began: another
            // would only copy the rows within the margin again.
            var caughtUp = rows < job.CatchUp.MaxLagRows || (mark ?? record.HighWater) == record.HighWater;
            record = record with { HighWater = mark ?? record.HighWater, Skipped = skipped, UpdatedAt = StoreTime.Now(time), LastError = null };
            await store.SaveBackfillAsync(record, cancellationToken);
            if (caughtUp || passes.Count == job.CatchUp.MaxPasses)
            {
                return new CatchUpResult(record, passes, caughtUp);
            }
        }
    }
}
