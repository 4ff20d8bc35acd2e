using System.Diagnostics;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Targets;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Transforms;
using Cutover.Store;

namespace Cutover.Backfill.Copying;

/// <summary>
/// The one batch loop every copy runs, a whole job, a key range of a split job and a catch-up pass
/// alike: wait as the <see cref="ICheckpointStrategy"/> says, copy the batch after the last key
/// (retrying a lost connection), add it to the tally, checkpoint, and renew the hold, until a short
/// batch ends the copy. Only where the checkpoint goes and what a batch waits for differ, so
/// crash safety (commit in the target, then checkpoint) is written once.
/// </summary>
internal sealed class CopyLoop(IBackfillStore store, TimeProvider time, Action<BackfillRetry>? retrying)
{
    /// <summary>
    /// Copies from <paramref name="checkpoint"/>'s last key until the source is done;
    /// <paramref name="betweenBatches"/> stops it before a batch or during a wait,
    /// <paramref name="cancellationToken"/> at once, mid-batch.
    /// </summary>
    public async Task RunAsync(CopyRun run, ICheckpointStrategy checkpoint, CancellationToken betweenBatches, CancellationToken cancellationToken)
    {
        var tally = checkpoint.Tally;
        while (true)
        {
            betweenBatches.ThrowIfCancellationRequested();
            var record = await checkpoint.BeforeBatchAsync(betweenBatches);
            using var activity = BatchActivity.Start(run.Job);
            var batch = await CopyBatchAsync(run, record, tally.After, checkpoint.Hold, activity, cancellationToken);
            tally.Add(batch, run.Limiter);
            var done = batch.Read < run.Job.BatchSize;
            await checkpoint.SaveAsync(batch, done, cancellationToken);
            BatchActivity.Copied(activity, batch);
            if (done)
            {
                return;
            }

            await checkpoint.Hold.RenewAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Copies the batch after <paramref name="lastKey"/> through the job's transform; when a
    /// connection is lost, records the error on the job, waits as the job's retries say, reconnects
    /// both sides and copies the same batch again. The checkpoint does not move until a copy
    /// succeeds, so a retry never skips or double-counts a row; the last failure is thrown when the
    /// retries are spent. Returns what the batch read and wrote.
    /// </summary>
    private async Task<CopiedBatch> CopyBatchAsync(CopyRun run, BackfillRecord record, IReadOnlyList<object?>? lastKey, IRunHold hold, Activity? activity, CancellationToken cancellationToken)
    {
        var job = run.Job;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (attempt > 0)
                {
                    await run.Copier.ReconnectAsync(cancellationToken);
                }

                return await run.Copier.CopyAsync(lastKey, run.Transform, run.Throttle, (rows, target) => WriteAsync(job, target, run.Transform, run.Throttle, rows, cancellationToken), cancellationToken);
            }
            catch (BackfillDatabaseException e) when (attempt < job.Retries.Attempts)
            {
                var retry = new BackfillRetry(job.Name, attempt + 1, job.Retries.Attempts, job.Retries.WaitBefore(attempt + 1), e.Message);
                await store.SaveBackfillAsync(record with { UpdatedAt = StoreTime.Now(time), LastError = retry.ToString() }, cancellationToken);
                retrying?.Invoke(retry);
                await Task.Delay(retry.Wait, time, cancellationToken);
                await hold.RenewAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Transforms a batch's rows and writes the ones kept; returns them with the rows left out.
    /// Under <c>onError: stop</c> the first rejected row stops the job; under <c>skip</c> a row the
    /// target cannot take is taken out of the kept rows and the batch written again (its transaction
    /// rolled back, so nothing of the failed attempt remains).
    /// </summary>
    private static async Task<(List<object?[]> Kept, List<RowRejection> Left)> WriteAsync(
        BackfillJob job, IBatchTarget target, BatchTransform transform, AdaptiveThrottle throttle, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var (kept, rejected) = transform.Apply(rows);
        if (rejected.Count > 0 && job.OnError == RowErrorPolicy.Stop)
        {
            throw new RowRejectedException(
                rejected[0].Key,
                $"was rejected by the transform: {rejected[0].Reason.TrimEnd('.')}",
                "Fix the source row or the transform, or set 'onError: skip' to record such rows and go on.");
        }

        while (true)
        {
            try
            {
                var started = throttle.WriteStarting();
                await target.WriteAsync(kept, cancellationToken);
                throttle.Wrote(started);
                return (kept, rejected);
            }
            catch (RowRejectedException e) when (job.OnError == RowErrorPolicy.Skip && IndexOf(job, kept, e.Key) is >= 0 and var index)
            {
                kept.RemoveAt(index);
                rejected.Add(new RowRejection(e.Key, e.Reason));
            }
        }
    }

    private static int IndexOf(BackfillJob job, List<object?[]> rows, IReadOnlyList<object?> key)
    {
        var wanted = KeyCodec.Encode(key);
        return rows.FindIndex(row => KeyCodec.Encode([.. job.KeyColumns.Select(i => row[i])]) == wanted);
    }
}
