using System.Data.Common;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Transforms;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>
/// Runs backfill jobs: the one entry the commands call for run, resume, join, pause, catch-up and
/// restore. It takes the job's lease so one command works on a job at a time, refuses what must not
/// start (with what to do instead), and hands the work to <see cref="JobCopy"/>, the range workers,
/// the catch-up passes or the restore.
/// </summary>
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
                    $"Backfill job '{job.Name}' has a checkpoint in {store.Description}: {MessageText.Rows(existing.RowsCopied)} copied up to key {KeyCodec.Display(existing.LastKey)} ({MessageText.Status(existing.Status)}). " +
                    $"Run `cutover backfill resume {job.Name}` to continue from there, or add --restart to copy from the beginning.");
            }

            var now = Now();
            var fresh = new BackfillRecord(job.Name, job.Definition, BackfillStatus.Running, null, 0, new RowChecksum().Value, now, now, 0, now, null) { Backup = existing?.Backup };
            CheckWorkers();
            return await new JobCopy(store, time, Settings).StartAsync(job, lease, fresh, fromStart: true, ct);
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
                    $"Backfill job '{name}' completed ({MessageText.Rows(existing.RowsCopied)}); there is nothing to resume. Run `cutover backfill catchup {name}` to copy the rows changed since (with a changeColumn), or `cutover backfill run -f JOB.yaml` to copy it all again.");
            }

            CheckWorkers();
            return await new JobCopy(store, time, Settings).StartAsync(job, lease, existing, fromStart: false, ct);
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

    /// <summary>What this runner's settings hand to the parts that copy.</summary>
    private RunSettings Settings => new(Transform, Progress, Retrying, Stopping, Workers);

    /// <summary>Now in whole milliseconds, the precision the store keeps, so a returned record equals the stored one.</summary>
    private DateTimeOffset Now() => StoreTime.Now(time);
}
