using System.Data.Common;
using Cutover.Backfill.Backups;
using Cutover.Backfill.CatchUp;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Schema;
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

    /// <summary>Copies a job in one key order from <paramref name="record"/>'s checkpoint, saving it as stopped or failed when the copy ends early.</summary>
    private async Task<BackfillRecord> CopyAsync(BackfillJob job, JobLease lease, BackfillRecord record, CancellationToken cancellationToken)
    {
        await using var copier = await BatchCopier.OpenAsync(job, changedSince: null, cancellationToken);
        var total = await copier.CountAsync(cancellationToken);
        record = await BeforeFirstWriteAsync(job, record, copier.Databases, cancellationToken);

        var now = Now();
        record = record with { Definition = job.Definition, Status = BackfillStatus.Running, RunStartedAt = now, RunStartRows = record.RowsCopied, UpdatedAt = now, LastError = null, Throttle = null };
        await store.SaveBackfillAsync(record, cancellationToken);
        Progress?.Invoke(BackfillProgress.Of(record, total, now));

        var run = new CopyRun(job, copier, new BatchTransform(job, Transform ?? job.Transform), new AdaptiveThrottle(job.Throttle, time), new RowRateLimiter(job.RateLimit, time));
        var pause = new PauseRequest(store, job.Name);
        await pause.WithdrawAsync(cancellationToken);
        var holds = new Holds(copier, run.Limiter, run.Throttle, pause, lease, total, new RecentRate(time));
        var checkpoint = new JobCheckpoint(store, time, new RunWaits(store, time, Progress), holds, record, Progress);
        using var betweenBatches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping);
        try
        {
            await new CopyLoop(store, time, Retrying).RunAsync(run, checkpoint, betweenBatches.Token, cancellationToken);
            return checkpoint.Record;
        }
        catch (OperationCanceledException) when (betweenBatches.IsCancellationRequested)
        {
            await store.SaveBackfillAsync(checkpoint.Record with { Status = BackfillStatus.Stopped, UpdatedAt = Now(), Throttle = null }, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (CopyFailure.FailsRun(e))
        {
            record = checkpoint.Record;
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Failed, UpdatedAt = Now(), LastError = e.Message, Throttle = null }, CancellationToken.None);
            throw e as BackfillFailedException ?? new BackfillFailedException(
                $"Backfill job '{job.Name}' failed after {Rows(record.RowsCopied)} (checkpoint at key {KeyCodec.Display(record.LastKey)}){BackfillRetry.Spent(job.Retries.Attempts, e, "and")}: {e.Message.TrimEnd('.')}. " +
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

    /// <summary>What this runner's settings hand to the parts that copy.</summary>
    private RunSettings Settings => new(Transform, Progress, Retrying, Stopping, Workers);

    /// <summary>Now in whole milliseconds, the precision the store keeps, so a returned record equals the stored one.</summary>
    private DateTimeOffset Now() => StoreTime.Now(time);

    private static string Text(BackfillStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>A count of rows in a message, "1 row" or "12 rows".</summary>
    private static string Rows(long count) => count == 1 ? "1 row" : $"{count} rows";
}
