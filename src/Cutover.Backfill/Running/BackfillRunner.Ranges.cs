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
                $"Backfill job '{name}' is {MessageText.Status(record.Status)}{(record.Ranges.Count == 0 ? " and not split yet" : string.Empty)}; `join` adds workers to a running split job. " +
                (record.Status == BackfillStatus.Completed ? "It completed." : $"Run `cutover backfill resume {name}` to continue it (add --workers N for more workers)."));
        }

        var total = await CountSourceAsync(name, cancellationToken);
        return await new RangeWorkers(store, time, Settings).WorkAsync(job, record, total, null, cancellationToken);
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
