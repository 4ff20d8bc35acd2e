using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Ranges;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Transforms;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>
/// Scale-out: a job with <c>ranges: N</c> is split into key ranges once, before any row is copied,
/// and workers (<see cref="Workers"/> in this process, more in others through <see cref="JoinAsync"/>)
/// claim the ranges one at a time and copy each with the same per-batch steps as a whole job,
/// checkpointing the range after each batch. The job completes when every range is done: its rows
/// and checksum are then the sums of its ranges'.
/// </summary>
public sealed partial class BackfillRunner
{
    /// <summary>How often a worker with no range left to claim looks again, until the other workers' ranges are done (or theirs expire and it takes them over).</summary>
    public static readonly TimeSpan ClaimPoll = TimeSpan.FromSeconds(1);

    /// <summary>The most workers one process runs on a split job.</summary>
    public const int MaxWorkers = 64;

    /// <summary>
    /// Workers this process runs on a split job, each claiming and copying one range at a time; 1,
    /// the default, is one. More than one needs a job with <c>ranges</c> of 2 or more.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// Adds <see cref="Workers"/> workers in this process to the split job called
    /// <paramref name="name"/>, which a run (or resume) elsewhere started: they claim the ranges no
    /// one holds and take over the ranges of workers that died. Returns the job's record once every
    /// range is done. Refused for a job that is not split, not started, or not running.
    /// </summary>
    public async Task<BackfillRecord> JoinAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CheckWorkers();
        await store.InitializeAsync(cancellationToken);
        var (record, job) = await StoredAsync(name, cancellationToken);
        if (job.Ranges == 1)
        {
            throw new BackfillRefusedException(
                $"Backfill job '{name}' is not split into key ranges, so another process cannot join it. Add e.g. 'ranges: 8' to its job file and run it again with `cutover backfill run -f JOB.yaml --restart`; then `cutover backfill join {name}` adds workers.");
        }

        if (record.Status is not (BackfillStatus.Running or BackfillStatus.Paused) || record.Ranges.Count == 0)
        {
            throw new BackfillRefusedException(
                $"Backfill job '{name}' is {Text(record.Status)}{(record.Ranges.Count == 0 ? " and not split yet" : string.Empty)}; `join` adds workers to a running split job. " +
                (record.Status == BackfillStatus.Completed ? "It completed." : $"Run `cutover backfill resume {name}` to continue it (add --workers N for more workers)."));
        }

        var total = await CountSourceAsync(name, cancellationToken);
        return await WorkRangesAsync(job, record, total, null, cancellationToken);
    }

    /// <summary>Copies a job from <paramref name="record"/>: split into ranges when the job says so, else in one key order; <paramref name="fromStart"/> for a run rather than a resume.</summary>
    private async Task<BackfillRecord> StartCopyAsync(BackfillJob job, JobLease lease, BackfillRecord record, bool fromStart, CancellationToken cancellationToken)
    {
        CheckWorkers();
        if (job.Ranges > 1)
        {
            return await CopySplitAsync(job, lease, record, fromStart || record.Ranges.Count == 0, cancellationToken);
        }

        if (Workers > 1)
        {
            throw new BackfillRefusedException(
                $"Backfill job '{job.Name}' is not split into key ranges, so {Workers} workers cannot share it. Add e.g. 'ranges: {Workers * 4}' to its job file (more ranges than workers evens out their work) and run it with `cutover backfill run -f JOB.yaml{(fromStart ? string.Empty : " --restart")}`.");
        }

        if (fromStart)
        {
            await store.SplitBackfillAsync(job.Name, [], cancellationToken);
        }

        return await CopyAsync(job, lease, record, cancellationToken);
    }

    /// <summary>
    /// A split job's run or resume, holding the job's lease: with <paramref name="split"/>, takes the
    /// target's backup and the high-water mark and splits the source (all before any range is
    /// copied), then runs the workers until every range is done.
    /// </summary>
    private async Task<BackfillRecord> CopySplitAsync(BackfillJob job, JobLease lease, BackfillRecord record, bool split, CancellationToken cancellationToken)
    {
        long total;
        await using (var copier = await BatchCopier.OpenAsync(job, changedSince: null, cancellationToken))
        {
            total = await copier.CountAsync(cancellationToken);
            if (split)
            {
                record = await BeforeFirstWriteAsync(job, record, copier.Databases, cancellationToken);
                await store.SaveBackfillAsync(record, cancellationToken);
                await store.SplitBackfillAsync(job.Name, await KeySplit.SplitAsync(copier.Databases, job, total, Now(), cancellationToken), cancellationToken);
                record = (await store.GetBackfillAsync(job.Name, cancellationToken))!;
            }
        }

        var now = Now();
        record = record with { Definition = job.Definition, Status = BackfillStatus.Running, RunStartedAt = now, RunStartRows = record.RowsCopied, UpdatedAt = now, LastError = null };
        await store.SaveBackfillAsync(record, cancellationToken);
        await new PauseRequest(store, job.Name).WithdrawAsync(cancellationToken);
        Progress?.Invoke(BackfillProgress.Of(record, total, now));
        try
        {
            return await WorkRangesAsync(job, record, total, lease, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || Stopping.IsCancellationRequested)
        {
            var stopped = (await store.GetBackfillAsync(job.Name, CancellationToken.None))!;
            await store.SaveBackfillAsync(stopped with { Status = BackfillStatus.Stopped, UpdatedAt = Now(), Throttle = null }, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Runs <see cref="Workers"/> workers on the split job until every range is done, then completes
    /// the job. The first worker to fail stops the others (each gives its range back at its
    /// checkpoint) and its failure is thrown. The workers report through one lock, on a runner of their own.
    /// </summary>
    private async Task<BackfillRecord> WorkRangesAsync(BackfillJob job, BackfillRecord record, long? total, JobLease? lease, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        var workers = new BackfillRunner(store, time)
        {
            Transform = Transform,
            Progress = Progress is { } progress ? p => { lock (gate) { progress(p); } } : null,
            Retrying = Retrying is { } retrying ? r => { lock (gate) { retrying(r); } } : null,
            Stopping = Stopping,
        };
        var split = new SplitRun(job, record, total, new RecentRate(time), new PauseRequest(store, job.Name), lease, gate);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => workers.WorkAsync(split, stop)));
        return await CompleteSplitAsync(job.Name, cancellationToken);
    }

    /// <summary>One worker: claims a range, copies it, and again, until every range of the job is done.</summary>
    private async Task WorkAsync(SplitRun split, CancellationTokenSource stop)
    {
        await Task.Yield();
        var job = split.Job;
        var cancellationToken = stop.Token;
        using var betweenBatches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping);
        var holder = RunHolder.New();
        var copying = new RangeCopying(new RowRateLimiter(job.RateLimit, time), new AdaptiveThrottle(job.Throttle, time), new BatchTransform(job, Transform ?? job.Transform), new RecentRate(time));
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
                await claim.GiveBackAsync(Now());
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stop.CancelAsync();
                await claim.GiveBackAsync(Now());
                if (!CopyFailure.FailsRun(e))
                {
                    throw;
                }

                var range = claim.Range;
                var message = $"Backfill job '{job.Name}' failed in key range {range.Index + 1} of {split.Record.Ranges.Count} after {range.RowsCopied} of its rows (checkpoint at key {KeyCodec.Display(range.LastKey ?? range.After)}): {e.Message.TrimEnd('.')}.";
                var failed = (await store.GetBackfillAsync(job.Name, CancellationToken.None))!;
                await store.SaveBackfillAsync(failed with { Status = BackfillStatus.Failed, UpdatedAt = Now(), LastError = message, Throttle = null }, CancellationToken.None);
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
        var checkpoint = new RangeCheckpoint(store, time, new RunWaits(store, time, Progress), holds, claim, split.Record, ct => ReportAsync(split, ct));
        await new CopyLoop(store, time, Retrying).RunAsync(run, checkpoint, betweenBatches, cancellationToken);
    }

    /// <summary>Shows the job's progress over every worker (in every process): its record as now read, rows summed over its ranges.</summary>
    private async Task ReportAsync(SplitRun split, CancellationToken cancellationToken)
    {
        if (Progress is null || await store.GetBackfillAsync(split.Job.Name, cancellationToken) is not { } record)
        {
            return;
        }

        lock (split.Gate)
        {
            split.Rate.Copied(record.RowsCopied);
            Progress(BackfillProgress.Of(record, split.Total, record.UpdatedAt) with { RecentRowsPerSecond = split.Rate.RowsPerSecond });
        }
    }

    /// <summary>Gives back the ranges whose worker died on this machine (killed, crashed), so they are taken over at once rather than when their claim expires.</summary>
    private async Task GiveBackDeadAsync(string job, CancellationToken cancellationToken)
    {
        foreach (var range in await store.GetBackfillRangesAsync(job, cancellationToken))
        {
            if (range is { Status: BackfillRangeStatus.Running, Holder: { } holder } && RunHolder.DiedHere(holder))
            {
                await store.SaveBackfillRangeAsync(range with { Status = BackfillRangeStatus.Pending, UpdatedAt = Now() }, RangeClaim.Term, cancellationToken);
            }
        }
    }

    /// <summary>Refuses a worker count outside 1..<see cref="MaxWorkers"/>, which would leave ranges unclaimed (none) or the machine swamped.</summary>
    private void CheckWorkers()
    {
        if (Workers is < 1 or > MaxWorkers)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, $"Workers must be from 1 to {MaxWorkers}.");
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
            UpdatedAt = Now(),
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
