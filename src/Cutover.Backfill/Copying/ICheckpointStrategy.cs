using Cutover.Backfill.Leases;
using Cutover.Store;

namespace Cutover.Backfill.Copying;

/// <summary>
/// Where <see cref="CopyLoop"/> checkpoints and what its batches wait for: the job's record for a
/// whole job, a key range's for a worker of a split job, nothing until the pass ends for catch-up.
/// </summary>
internal interface ICheckpointStrategy
{
    /// <summary>What the checkpoint carries from batch to batch, starting where the copy continues.</summary>
    CheckpointTally Tally { get; }

    /// <summary>What the copy holds (the job's lease or a range's claim), renewed between batches and while waiting.</summary>
    IRunHold Hold { get; }

    /// <summary>Waits before a batch as the copy must (backoff, pause, rate limit); returns the job's record as now saved, on which a retry records its error.</summary>
    Task<BackfillRecord> BeforeBatchAsync(CancellationToken betweenBatches);

    /// <summary>Checkpoints after <paramref name="batch"/>, already added to <see cref="Tally"/>; <paramref name="done"/> when it was the last.</summary>
    Task SaveAsync(CopiedBatch batch, bool done, CancellationToken cancellationToken);
}
