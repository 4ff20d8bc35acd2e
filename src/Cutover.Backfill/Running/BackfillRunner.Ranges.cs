using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Ranges;
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
    public static readonly TimeSpan ClaimPoll = RangeWorkers.ClaimPoll;

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
        return await new RangeWorkers(store, time, Settings).WorkAsync(job, record, total, null, cancellationToken);
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
            return await new RangeWorkers(store, time, Settings).WorkAsync(job, record, total, lease, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || Stopping.IsCancellationRequested)
        {
            var stopped = (await store.GetBackfillAsync(job.Name, CancellationToken.None))!;
            await store.SaveBackfillAsync(stopped with { Status = BackfillStatus.Stopped, UpdatedAt = Now(), Throttle = null }, CancellationToken.None);
            throw;
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
}
