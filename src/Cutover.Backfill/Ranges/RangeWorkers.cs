using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.Ranges;

/// <summary>
/// The workers of a split job in this process: each claims a key range, copies it with the one
/// copy loop, checkpointing the range after every batch, and claims another, until every range of
/// the job is done; the job is then completed with its ranges' sums.
/// </summary>
internal sealed class RangeWorkers(IBackfillStore store, TimeProvider time, RunSettings settings)
{
    /// <summary>How often a worker with no range left to claim looks again, until the other workers' ranges are done (or theirs expire and it takes them over).</summary>
    public static readonly TimeSpan ClaimPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <see cref="RunSettings.Workers"/> workers on the split job until every range is done, then completes
    /// the job. The first worker to fail stops the others (each gives its range back at its
    /// checkpoint) and its failure is thrown. The workers report through one lock, on a runner of their own.
    /// </summary>
    public async Task<BackfillRecord> WorkAsync(BackfillJob job, BackfillRecord record, long? total, JobLease? lease, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        var workers = new RangeWorkers(store, time, settings with
        {
            Progress = settings.Progress is { } progress ? p => { lock (gate) { progress(p); } } : null,
            Retrying = settings.Retrying is { } retrying ? r => { lock (gate) { retrying(r); } } : null,
        });
        var split = new SplitRun(job, record, total, new RecentRate(time), new PauseRequest(store, job.Name), lease, gate);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(_ => workers.WorkerAsync(split, stop)));
        return await CompleteSplitAsync(job.Name, cancellationToken);
    }

    /// <summary>One worker: claims a range, copies it, and again, until every range of the job is done.</summary>
    private async Task WorkerAsync(SplitRun split, CancellationTokenSource stop)
    {
        await Task.Yield();
        var job = split.Job;
        var cancellationToken = stop.Token;
        using var betweenBatches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, settings.Stopping);
        var holder = RunHolder.New();
        var copying = new RangeCopying(new RowRateLimiter(job.RateLimit, time), new AdaptiveThrottle(job.Throttle, time), new BatchTransform(job, settings.Transform ?? job.Transform), new RecentRate(time));
        while (true)
        {
            betweenBatches.Token.ThrowIfCancellationRequested();
            await GiveBackDeadAsync(job.Name, cancellationToken);
            if (await store.ClaimBackfillRangeAsync(job.Name, holder, RangeClaim.Term, cancellationToken) is not { } claimed)
            {
                if ((await store.GetBackfillRangesAsync(job.Name, cancellationToken)).All(r => r.Status == BackfillRangeStatus.Done))
                {
                    return;
                }

                await Task.Delay(ClaimPoll, time, betweenBatches.Token);
                await (split.Lease?.RenewAsync(cancellationToken) ?? Task.CompletedTask);
                continue;
            }

            var claim = new RangeClaim(store, time, claimed, split.Lease);
            try
            {
                await CopyRangeAsync(split, claim, copying, betweenBatches.Token, cancellationToken);
            }
            catch (RangeTakenOverException)
            {
            }
            catch (OperationCanceledException) when (betweenBatches.IsCancellationRequested)
            {
                await claim.GiveBackAsync(StoreTime.Now(time));
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stop.CancelAsync();
                await claim.GiveBackAsync(StoreTime.Now(time));
                if (!CopyFailure.FailsRun(e))
                {
                    throw;
                }

                var range = claim.Range;
                var message = $"Backfill job '{job.Name}' failed in key range {range.Index + 1} of {split.Record.Ranges.Count} after {range.RowsCopied} of its rows (checkpoint at key {KeyCodec.Display(range.LastKey ?? range.After)}): {e.Message.TrimEnd('.')}.";
                var failed = (await store.GetBackfillAsync(job.Name, CancellationToken.None))!;
                await store.SaveBackfillAsync(failed with { Status = BackfillStatus.Failed, UpdatedAt = StoreTime.Now(time), LastError = message, Throttle = null }, CancellationToken.None);
                throw new BackfillFailedException(
                    $"{message} Fix the cause and run `cutover backfill resume {job.Name}`; the batch that failed is copied again.", e);
            }
        }
    }

    /// <summary>
    /// Copies one claimed range batch after batch from its checkpoint, with the per-batch steps of a
    /// whole job, until a short batch ends it; <paramref name="betweenBatches"/> stops it before a
    /// batch or during a wait, <paramref name="cancellationToken"/> at once.
    /// </summary>
    private async Task CopyRangeAsync(SplitRun split, RangeClaim claim, RangeCopying copying, CancellationToken betweenBatches, CancellationToken cancellationToken)
    {
        var job = split.Job;
        await using var copier = await BatchCopier.OpenAsync(job, KeyRange.Of(claim.Range), cancellationToken);
        var run = new CopyRun(job, copier, copying.Transform, copying.Throttle, copying.Limiter);
        var holds = new Holds(copier, copying.Limiter, copying.Throttle, split.Pause, claim, split.Total, copying.Rate);
        var checkpoint = new RangeCheckpoint(store, time, new RunWaits(store, time, settings.Progress), holds, claim, split.Record, ct => ReportAsync(split, ct));
        await new CopyLoop(store, time, settings.Retrying).RunAsync(run, checkpoint, betweenBatches, cancellationToken);
    }

    /// <summary>Shows the job's progress over every worker (in every process): its record as now read, rows summed over its ranges.</summary>
    private async Task ReportAsync(SplitRun split, CancellationToken cancellationToken)
    {
        if (settings.Progress is null || await store.GetBackfillAsync(split.Job.Name, cancellationToken) is not { } record)
        {
            return;
        }

        lock (split.Gate)
        {
            split.Rate.Copied(record.RowsCopied);
            settings.Progress(BackfillProgress.Of(record, split.Total, record.UpdatedAt) with { RecentRowsPerSecond = split.Rate.RowsPerSecond });
        }
    }

    /// <summary>Gives back the ranges whose worker died on this machine (killed, crashed), so they are taken over at once rather than when their claim expires.</summary>
    private async Task GiveBackDeadAsync(string job, CancellationToken cancellationToken)
    {
        foreach (var range in await store.GetBackfillRangesAsync(job, cancellationToken))
        {
            if (range is { Status: BackfillRangeStatus.Running, Holder: { } holder } && RunHolder.DiedHere(holder))
            {
                await store.SaveBackfillRangeAsync(range with { Status = BackfillRangeStatus.Pending, UpdatedAt = StoreTime.Now(time) }, RangeClaim.Term, cancellationToken);
            }
        }
    }

    /// <summary>Completes a split job whose ranges are all done: its checksum and skipped rows are its ranges' added up, its last key the last range's.</summary>
    private async Task<BackfillRecord> CompleteSplitAsync(string name, CancellationToken cancellationToken)
    {
        var record = (await store.GetBackfillAsync(name, cancellationToken))!;
        if (record.Ranges.FirstOrDefault(r => r.Status != BackfillRangeStatus.Done) is { } open)
        {
            throw new InvalidOperationException($"Backfill job '{name}' cannot complete: its key range {open.Index + 1} is {open.Status.ToString().ToLowerInvariant()}.");
        }

        var checksum = new RowChecksum();
        var skipped = SkippedRows.None;
        foreach (var range in record.Ranges)
        {
            checksum.Add(RowChecksum.Parse(range.Checksum));
            skipped = skipped.Plus(SkippedRows.Parse(range.Skipped));
        }

        record = record with
        {
            Status = BackfillStatus.Completed,
            Throttle = null,
            LastKey = record.Ranges.LastOrDefault(r => r.LastKey is not null)?.LastKey,
            Checksum = checksum.Value,
            Skipped = skipped.Encode(),
            UpdatedAt = StoreTime.Now(time),
            LastError = null,
        };
        await store.SaveBackfillAsync(record, cancellationToken);
        return record;
    }

    /// <summary>What the workers of one split run share: the job, its record when they started, the source's rows, the recent speed, the pause flag, the job's lease (none for joined workers) and the lock they report under.</summary>
    private sealed record SplitRun(BackfillJob Job, BackfillRecord Record, long? Total, RecentRate Rate, PauseRequest Pause, JobLease? Lease, Lock Gate);

    /// <summary>One worker's own rate limit, throttle, transform and speed (shown while it waits): the rate limit and the throttle apply per worker.</summary>
    private sealed record RangeCopying(RowRateLimiter Limiter, AdaptiveThrottle Throttle, BatchTransform Transform, RecentRate Rate);
}
