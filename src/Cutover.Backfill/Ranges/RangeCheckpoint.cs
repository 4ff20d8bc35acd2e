using Cutover.Backfill.Copying;
using Cutover.Backfill.Leases;
using Cutover.Backfill.Ranges;
using Cutover.Store;

namespace Cutover.Backfill.Ranges;

/// <summary>
/// The checkpoint of one claimed key range of a split job: the range, saved through its claim after
/// every batch (done after the last). The waits before a batch start from the job's record as now
/// stored, since workers in every process save it (a backoff, a pause, a retry's error).
/// </summary>
internal sealed class RangeCheckpoint(IBackfillStore store, TimeProvider time, RunWaits waits, Holds holds, RangeClaim claim, BackfillRecord started, Func<CancellationToken, Task> report) : ICheckpointStrategy
{
    /// <inheritdoc />
    public CheckpointTally Tally { get; } = new(claim.Range.Checksum, claim.Range.Skipped, claim.Range.LastKey);

    /// <inheritdoc />
    public IRunHold Hold => claim;

    /// <inheritdoc />
    public async Task<BackfillRecord> BeforeBatchAsync(CancellationToken betweenBatches)
    {
        var current = await store.GetBackfillAsync(started.Name, betweenBatches) ?? started;
        return await waits.HoldBackAsync(holds, current, betweenBatches);
    }

    /// <inheritdoc />
    public async Task SaveAsync(CopiedBatch batch, bool done, CancellationToken cancellationToken)
    {
        var range = claim.Range;
        await claim.CheckpointAsync(
            range with
            {
                Status = done ? BackfillRangeStatus.Done : BackfillRangeStatus.Running,
                LastKey = Tally.LastKey,
                RowsCopied = range.RowsCopied + batch.Written,
                Checksum = Tally.Checksum,
                Skipped = Tally.Skipped,
                UpdatedAt = StoreTime.Now(time),
            },
            cancellationToken);
        await report(cancellationToken);
    }
}
