using Cutover.Backfill.Backups;
using Cutover.Backfill.CatchUp;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Ranges;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>
/// A run or resume of a job, under the job's lease: split into key ranges for the workers when the
/// job says so, else copied in one key order by the one copy loop, with the job's record
/// checkpointed after every batch and saved as stopped or failed when the copy ends early.
/// </summary>
/// <remarks>
/// Crash safety follows from the order: a batch is committed in the target before its checkpoint
/// is written. A crash before the commit leaves neither; a crash between the two leaves the batch
/// in the target and the checkpoint before it, so the next run reads and upserts the same rows
/// again, which changes nothing. The checkpoint (key, count, checksum) is written in one store
/// transaction, so it always describes a whole number of committed batches.
/// </remarks>
internal sealed class JobCopy(IBackfillStore store, TimeProvider time, RunSettings settings)
{
    /// <summary>Copies a job from <paramref name="record"/>: split into ranges when the job says so, else in one key order; <paramref name="fromStart"/> for a run rather than a resume.</summary>
    public async Task<BackfillRecord> StartAsync(BackfillJob job, JobLease lease, BackfillRecord record, bool fromStart, CancellationToken cancellationToken)
    {
        if (job.Ranges > 1)
        {
            return await CopySplitAsync(job, lease, record, fromStart || record.Ranges.Count == 0, cancellationToken);
        }

        if (settings.Workers > 1)
        {
            throw new BackfillRefusedException(
                $"Backfill job '{job.Name}' is not split into key ranges, so {settings.Workers} workers cannot share it. Add e.g. 'ranges: {settings.Workers * 4}' to its job file (more ranges than workers evens out their work) and run it with `cutover backfill run -f JOB.yaml{(fromStart ? string.Empty : " --restart")}`.");
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
                await store.SplitBackfillAsync(job.Name, await KeySplit.SplitAsync(copier.Databases, job, total, StoreTime.Now(time), cancellationToken), cancellationToken);
                record = (await store.GetBackfillAsync(job.Name, cancellationToken))!;
            }
        }

        var now = StoreTime.Now(time);
        record = record with { Definition = job.Definition, Status = BackfillStatus.Running, RunStartedAt = now, RunStartRows = record.RowsCopied, UpdatedAt = now, LastError = null, SourceRows = total };
        await store.SaveBackfillAsync(record, cancellationToken);
        await new PauseRequest(store, job.Name).WithdrawAsync(cancellationToken);
        settings.Progress?.Invoke(BackfillProgress.Of(record, total, now));
        try
        {
            return await new RangeWorkers(store, time, settings).WorkAsync(job, record, total, lease, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || settings.Stopping.IsCancellationRequested)
        {
            var stopped = (await store.GetBackfillAsync(job.Name, CancellationToken.None))!;
            await store.SaveBackfillAsync(stopped with { Status = BackfillStatus.Stopped, UpdatedAt = StoreTime.Now(time), Throttle = null }, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Copies a job in one key order from <paramref name="record"/>'s checkpoint, saving it as stopped or failed when the copy ends early.</summary>
    private async Task<BackfillRecord> CopyAsync(BackfillJob job, JobLease lease, BackfillRecord record, CancellationToken cancellationToken)
    {
        await using var copier = await BatchCopier.OpenAsync(job, changedSince: null, cancellationToken);
        var total = await copier.CountAsync(cancellationToken);
        record = await BeforeFirstWriteAsync(job, record, copier.Databases, cancellationToken);

        var now = StoreTime.Now(time);
        record = record with { Definition = job.Definition, Status = BackfillStatus.Running, RunStartedAt = now, RunStartRows = record.RowsCopied, UpdatedAt = now, LastError = null, Throttle = null, SourceRows = total };
        await store.SaveBackfillAsync(record, cancellationToken);
        settings.Progress?.Invoke(BackfillProgress.Of(record, total, now));

        var run = new CopyRun(job, copier, new BatchTransform(job, settings.Transform ?? job.Transform), new AdaptiveThrottle(job.Throttle, time), new RowRateLimiter(job.RateLimit, time));
        var pause = new PauseRequest(store, job.Name);
        await pause.WithdrawAsync(cancellationToken);
        var holds = new Holds(copier, run.Limiter, run.Throttle, pause, lease, total, new RecentRate(time));
        var checkpoint = new JobCheckpoint(store, time, new RunWaits(store, time, settings.Progress), holds, record, settings.Progress);
        using var betweenBatches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, settings.Stopping);
        try
        {
            await new CopyLoop(store, time, settings.Retrying).RunAsync(run, checkpoint, betweenBatches.Token, cancellationToken);
            return checkpoint.Record;
        }
        catch (OperationCanceledException) when (betweenBatches.IsCancellationRequested)
        {
            await store.SaveBackfillAsync(checkpoint.Record with { Status = BackfillStatus.Stopped, UpdatedAt = StoreTime.Now(time), Throttle = null }, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (CopyFailure.FailsRun(e))
        {
            record = checkpoint.Record;
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Failed, UpdatedAt = StoreTime.Now(time), LastError = e.Message, Throttle = null }, CancellationToken.None);
            throw e as BackfillFailedException ?? new BackfillFailedException(
                $"Backfill job '{job.Name}' failed after {MessageText.Rows(record.RowsCopied)} (checkpoint at key {KeyCodec.Display(record.LastKey)}){BackfillRetry.Spent(job.Retries.Attempts, e, "and")}: {e.Message.TrimEnd('.')}. " +
                $"Fix the cause and run `cutover backfill resume {job.Name}`; the batch that failed is copied again.",
                e);
        }
    }

    /// <summary>
    /// Takes the target's snapshot when the job has none yet, and at the start of a full pass records
    /// the change column's high-water mark, from which the first catch-up pass starts. Both go into
    /// the record the run saves before its first batch.
    /// </summary>
    private static async Task<BackfillRecord> BeforeFirstWriteAsync(BackfillJob job, BackfillRecord record, JobDatabases databases, CancellationToken cancellationToken)
    {
        if (record.Backup is null)
        {
            var backup = TableBackup.NameFor(job);
            await TableBackup.TakeAsync(databases.Target, databases.TargetConnection, job, backup, cancellationToken);
            record = record with { Backup = backup };
        }

        if (job.ChangeColumn is not null && record.LastKey is null)
        {
            record = record with { HighWater = await HighWaterMark.ReadAsync(databases.SourceConnection, job, databases.Schema.SourceFrom, cancellationToken) };
        }

        return record;
    }
}
