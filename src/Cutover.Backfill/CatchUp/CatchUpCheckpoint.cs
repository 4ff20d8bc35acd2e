using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Leases;
using Cutover.Store;

namespace Cutover.Backfill.CatchUp;

/// <summary>
/// A catch-up pass's checkpoint, kept in memory: the pass starts at the first changed row and its
/// high-water mark is saved only once it ends, so a pass that fails is copied whole again. Its
/// batches wait for a healthy target and the rate limit, not for a pause.
/// </summary>
internal sealed class CatchUpCheckpoint(RunWaits waits, CopyRun run, JobLease lease, BackfillRecord record) : ICheckpointStrategy
{
    /// <summary>The rows the pass wrote so far.</summary>
    public long Copied { get; private set; }

    /// <inheritdoc />
    public CheckpointTally Tally { get; } = new(new RowChecksum().Value, record.Skipped, lastKey: null);

    /// <inheritdoc />
    public IRunHold Hold => lease;

    /// <inheritdoc />
    public async Task<BackfillRecord> BeforeBatchAsync(CancellationToken betweenBatches)
    {
        await waits.BackOffAsync(run.Throttle, run.Copier, lease, null, betweenBatches);
        await run.Limiter.WaitAsync(betweenBatches);
        return record;
    }

    /// <inheritdoc />
    public Task SaveAsync(CopiedBatch batch, bool done, CancellationToken cancellationToken)
    {
        Copied += batch.Written;
        return Task.CompletedTask;
    }
}
