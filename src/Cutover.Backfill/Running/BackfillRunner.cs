using System.Data.Common;
using Cutover.Backfill.Backups;
using Cutover.Backfill.CatchUp;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Targets;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Transforms;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>
/// Runs a backfill job: takes the job's lease so one run goes at a time, checks the schema, then
/// copies batch after batch (read by key, upserted in one target transaction, then checkpointed
/// in the store) until the source is done, keeping under the rate limit.
/// </summary>
/// <remarks>
/// Crash safety follows from the order: a batch is committed in the target before its checkpoint
/// is written. A crash before the commit leaves neither; a crash between the two leaves the batch
/// in the target and the checkpoint before it, so the next run reads and upserts the same rows
/// again, which changes nothing. The checkpoint (key, count, checksum) is written in one store
/// transaction, so it always describes a whole number of committed batches.
/// </remarks>
public sealed partial class BackfillRunner(IBackfillStore store, TimeProvider time)
{
    /// <summary>How long a run's hold on its job lasts without renewal; a run that died is taken over after it. Renewed every third of it.</summary>
    public static readonly TimeSpan LeaseTerm = JobLease.Term;

    /// <summary>
    /// A transform used instead of the job file's (<see cref="BackfillJob.Transform"/>), for code
    /// that runs jobs itself; <c>resume</c> uses it too, since the stored definition cannot name an
    /// object made in code. Null, the default, uses the job file's.
    /// </summary>
    public IRowTransform? Transform { get; init; }

    /// <summary>Called after the schema check and after each checkpoint, on the run's thread.</summary>
    public Action<BackfillProgress>? Progress { get; init; }

    /// <summary>Called when a lost connection is about to be retried, before the wait, on the run's thread.</summary>
    public Action<BackfillRetry>? Retrying { get; init; }

    /// <summary>
    /// Stops the run between batches: once cancelled, the batch being copied still commits and is
    /// checkpointed, then the job is saved as <c>stopped</c> and the run throws
    /// <see cref="OperationCanceledException"/>, so Ctrl+C leaves no half-done work to redo. A wait
    /// between batches (a pause, a backoff, the rate limit) ends at once. The method's own
    /// cancellation token stops the run at once, mid-batch (the batch's transaction is rolled back).
    /// </summary>
    public CancellationToken Stopping { get; init; }

    /// <summary>
    /// Runs <paramref name="job"/> from the beginning: a new job, a completed one (copied again), or
    /// with <paramref name="restart"/> one with a checkpoint. A job with an unfinished checkpoint is
    /// refused without <paramref name="restart"/>, pointing at <c>resume</c>.
    /// </summary>
    public Task<BackfillRecord> RunAsync(BackfillJob job, bool restart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var lease = new JobLease(store, time, job.Name);
        return lease.HoldAsync(async ct =>
        {
            var existing = await store.GetBackfillAsync(job.Name, ct);
            if (existing is { Status: not BackfillStatus.Completed } && !restart)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{job.Name}' has a checkpoint in {store.Description}: {Rows(existing.RowsCopied)} copied up to key {KeyCodec.Display(existing.LastKey)} ({Text(existing.Status)}). " +
                    $"Run `cutover backfill resume {job.Name}` to continue from there, or add --restart to copy from the beginning.");
            }

            var now = Now();
            var fresh = new BackfillRecord(job.Name, job.Definition, BackfillStatus.Running, null, 0, new RowChecksum().Value, now, now, 0, now, null) { Backup = existing?.Backup };
            return await StartCopyAsync(job, lease, fresh, fromStart: true, ct);
        }, cancellationToken);
    }

    /// <summary>Continues the job called <paramref name="name"/> from its checkpoint, with the definition stored when it was started.</summary>
    public Task<BackfillRecord> ResumeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var lease = new JobLease(store, time, name);
        return lease.HoldAsync(async ct =>
        {
            var (existing, job) = await StoredAsync(name, ct);
            if (existing.Status == BackfillStatus.Completed)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' completed ({Rows(existing.RowsCopied)}); there is nothing to resume. Run `cutover backfill catchup {name}` to copy the rows changed since (with a changeColumn), or `cutover backfill run -f JOB.yaml` to copy it all again.");
            }

            return await StartCopyAsync(job, lease, existing, fromStart: false, ct);
        }, cancellationToken);
    }

    /// <summary>
    /// The rows the source of the job called <paramref name="name"/> has now, for the time left that
    /// <c>status</c> shows of a running job; null when the source cannot be counted (unreachable, or
    /// no longer fitting the job), which only leaves the time left unknown.
    /// </summary>
    public async Task<long?> CountSourceAsync(string name, CancellationToken cancellationToken = default)
    {
        var (_, job) = await StoredAsync(name, cancellationToken);
        try
        {
            await using var copier = await BatchCopier.OpenAsync(job, changedSince: null, cancellationToken);
            return await copier.CountAsync(cancellationToken);
        }
        catch (Exception e) when (e is BackfillDatabaseException or SchemaMismatchException or DbException)
        {
            return null;
        }
    }

    /// <summary>The job's record and the job as stored with it, for the commands that find a job by its name.</summary>
    private async Task<(BackfillRecord Record, BackfillJob Job)> StoredAsync(string name, CancellationToken cancellationToken)
    {
        var record = await store.GetBackfillAsync(name, cancellationToken)
            ?? throw new BackfillRefusedException($"There is no backfill job '{name}' in {store.Description}; start it with `cutover backfill run -f JOB.yaml` (check --store or CUTOVER_STORE if it ran elsewhere).");
        return (record, BackfillJobFile.Parse(record.Definition, $"(the definition of '{name}' stored in {store.Description})"));
    }

    private async Task<BackfillRecord> CopyAsync(BackfillJob job, JobLease lease, BackfillRecord record, CancellationToken cancellationToken)
    {
        await using var copier = await BatchCopier.OpenAsync(job, changedSince: null, cancellationToken);
        var total = await copier.CountAsync(cancellationToken);
        record = await BeforeFirstWriteAsync(job, record, copier.Databases, cancellationToken);

        var now = Now();
        record = record with { Definition = job.Definition, Status = BackfillStatus.Running, RunStartedAt = now, RunStartRows = record.RowsCopied, UpdatedAt = now, LastError = null, Throttle = null };
        await store.SaveBackfillAsync(record, cancellationToken);
        Progress?.Invoke(BackfillProgress.Of(record, total, now));

        var limiter = new RowRateLimiter(job.RateLimit, time);
        var throttle = new AdaptiveThrottle(job.Throttle, time);
        var pause = new PauseRequest(store, job.Name);
        await pause.WithdrawAsync(cancellationToken);
        var rate = new RecentRate(time);
        var transform = new BatchTransform(job, Transform ?? job.Transform);
        var tally = new CheckpointTally(record.Checksum, record.Skipped, record.LastKey);
        using var betweenBatches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping);
        try
        {
            while (true)
            {
                betweenBatches.Token.ThrowIfCancellationRequested();
                record = await HoldBackAsync(new Holds(copier, limiter, throttle, pause, lease, total, rate), record, betweenBatches.Token);
                var batch = await CopyBatchAsync(copier, job, record, transform, throttle, tally.After, lease, cancellationToken);
                tally.Add(batch, limiter);
                var done = batch.Read < job.BatchSize;
                record = record with
                {
                    Status = done ? BackfillStatus.Completed : BackfillStatus.Running,
                    Throttle = done ? null : record.Throttle,
                    LastKey = tally.LastKey,
                    RowsCopied = record.RowsCopied + batch.Written,
                    Checksum = tally.Checksum,
                    Skipped = tally.Skipped,
                    UpdatedAt = Now(),
                    LastError = null,
                };
                await store.SaveBackfillAsync(record, cancellationToken);
                rate.Copied(record.RowsCopied);
                Progress?.Invoke(BackfillProgress.Of(record, total, record.UpdatedAt) with { RecentRowsPerSecond = rate.RowsPerSecond });
                if (done)
                {
                    return record;
                }

                await lease.RenewAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (betweenBatches.IsCancellationRequested)
        {
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Stopped, UpdatedAt = Now(), Throttle = null }, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is DbException or RowRejectedException or InvalidCastException or BackfillDatabaseException or BackfillFailedException)
        {
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Failed, UpdatedAt = Now(), LastError = e.Message, Throttle = null }, CancellationToken.None);
            throw e as BackfillFailedException ?? new BackfillFailedException(
                $"Backfill job '{job.Name}' failed after {Rows(record.RowsCopied)} (checkpoint at key {KeyCodec.Display(record.LastKey)}){BackfillRetry.Spent(job.Retries.Attempts, e, "and")}: {e.Message.TrimEnd('.')}. " +
                $"Fix the cause and run `cutover backfill resume {job.Name}`; the batch that failed is copied again.",
                e);
        }
    }

    /// <summary>
    /// Copies the batch after <paramref name="lastKey"/> through the job's transform; when a
    /// connection is lost, records the error on the job, waits as the job's retries say, reconnects
    /// both sides and copies the same batch again. The checkpoint does not move until a copy
    /// succeeds, so a retry never skips or double-counts a row; the last failure is thrown when the
    /// retries are spent. Returns what the batch read and wrote.
    /// </summary>
    private async Task<CopiedBatch> CopyBatchAsync(
        BatchCopier copier, BackfillJob job, BackfillRecord record, BatchTransform transform, AdaptiveThrottle throttle, IReadOnlyList<object?>? lastKey, IRunHold lease, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (attempt > 0)
                {
                    await copier.ReconnectAsync(cancellationToken);
                }

                return await copier.CopyAsync(lastKey, transform, throttle, (rows, target) => WriteAsync(job, target, transform, throttle, rows, cancellationToken), cancellationToken);
            }
            catch (BackfillDatabaseException e) when (attempt < job.Retries.Attempts)
            {
                var retry = new BackfillRetry(job.Name, attempt + 1, job.Retries.Attempts, job.Retries.WaitBefore(attempt + 1), e.Message);
                await store.SaveBackfillAsync(record with { UpdatedAt = Now(), LastError = retry.ToString() }, cancellationToken);
                Retrying?.Invoke(retry);
                await Task.Delay(retry.Wait, time, cancellationToken);
                await lease.RenewAsync(cancellationToken);
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

    /// <summary>The rows left out of a batch, as the job's record lists them.</summary>
    private static List<SkippedRow> Skipped(List<RowRejection> left) =>
        [.. left.Select(r => new SkippedRow(KeyCodec.Display(KeyCodec.Encode(r.Key)), r.Reason))];

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

    /// <summary>Now in whole milliseconds, the precision the store keeps, so a returned record equals the stored one.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private static string Text(BackfillStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>A count of rows in a message, "1 row" or "12 rows".</summary>
    private static string Rows(long count) => count == 1 ? "1 row" : $"{count} rows";
}
