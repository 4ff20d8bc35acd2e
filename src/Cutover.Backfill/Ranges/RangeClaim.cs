using Cutover.Backfill.Leases;
using Cutover.Store;

namespace Cutover.Backfill.Ranges;

/// <summary>
/// A worker's hold on one key range of a split job: checkpointed after every batch, which renews it
/// for <see cref="Term"/>, and renewed every third of that while the worker waits (a backoff, a
/// pause, a retry). A worker that dies stops renewing, and once the claim expires another worker
/// claims the range and continues from its checkpoint (at once when the worker died on the same
/// machine). With the job's lease as <paramref name="outer"/> (a run or resume), renewing the
/// claim renews the lease too.
/// </summary>
internal sealed class RangeClaim(IBackfillStore store, TimeProvider time, BackfillRange claimed, IRunHold? outer) : IRunHold
{
    /// <summary>How long a claim lasts without a checkpoint or renewal: the job lease's term.</summary>
    public static readonly TimeSpan Term = JobLease.Term;

    private DateTimeOffset _savedAt = time.GetUtcNow();

    /// <summary>The range as last saved by this worker.</summary>
    public BackfillRange Range { get; private set; } = claimed;

    /// <summary>Saves the range's checkpoint (renewing the claim); throws <see cref="RangeTakenOverException"/> when another worker holds it now.</summary>
    public async Task CheckpointAsync(BackfillRange range, CancellationToken cancellationToken)
    {
        if (!await store.SaveBackfillRangeAsync(range, Term, cancellationToken))
        {
            throw new RangeTakenOverException();
        }

        Range = range;
        _savedAt = time.GetUtcNow();
        if (outer is not null)
        {
            await outer.RenewAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _savedAt >= Term / 3)
        {
            await CheckpointAsync(Range, cancellationToken);
        }
        else if (outer is not null)
        {
            await outer.RenewAsync(cancellationToken);
        }
    }

    /// <summary>Gives the range back at its last checkpoint (stopped or failed), so any worker can claim it at once.</summary>
    public Task GiveBackAsync(DateTimeOffset now) =>
        store.SaveBackfillRangeAsync(Range with { Status = BackfillRangeStatus.Pending, UpdatedAt = now }, Term, CancellationToken.None);
}
