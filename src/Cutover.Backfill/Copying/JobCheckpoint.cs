using Cutover.Backfill.Leases;
using Cutover.Store;

namespace Cutover.Backfill.Copying;

/// <summary>
/// The checkpoint of a job copied in one key order: the job's record, saved whole after every batch
/// (completed after the last), with the progress shown after each.
/// </summary>
internal sealed class JobCheckpoint(IBackfillStore store, TimeProvider time, RunWaits waits, Holds holds, BackfillRecord record, Action<BackfillProgress>? progress) : ICheckpointStrategy
{
    /// <summary>The job's record as last saved, which a stopped or failed run saves its status on.</summary>
    public BackfillRecord Record { get; private set; } = record;

    /// <inheritdoc />
    public CheckpointTally Tally { get; } = new(record.Checksum, record.Skipped, record.LastKey);

    /// <inheritdoc />
    public IRunHold Hold => holds.Lease;

    /// <inheritdoc />
    public async Task<BackfillRecord> BeforeBatchAsync(CancellationToken betweenBatches)
    {
        Record = await waits.HoldBackAsync(holds, Record, betweenBatches);
        return Record;
    }

    /// <inheritdoc />
    public async Task SaveAsync(CopiedBatch batch, bool done, CancellationToken cancellationToken)
    {
        Record = Record with
        {
            Status = done ? BackfillStatus.Completed : BackfillStatus.Running,
            Throttle = done ? null : Record.Throttle,
            LastKey = Tally.LastKey,
            RowsCopied = Record.RowsCopied + batch.Written,
            Checksum = Tally.Checksum,
            Skipped = Tally.Skipped,
            UpdatedAt = StoreTime.Now(time),
            LastError = null,
        };
        await store.SaveBackfillAsync(Record, cancellationToken);
        holds.Rate.Copied(Record.RowsCopied);
        progress?.Invoke(BackfillProgress.Of(Record, holds.Total, Record.UpdatedAt) with { RecentRowsPerSecond = holds.Rate.RowsPerSecond });
    }
}
