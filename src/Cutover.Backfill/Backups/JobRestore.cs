using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Store;

namespace Cutover.Backfill.Backups;

/// <summary>
/// Puts a job's target table back as it was before the job's first write and resets its
/// checkpoint: the target then holds none of the job's rows, so <c>resume</c> copies from the
/// beginning. The snapshot is kept.
/// </summary>
internal sealed class JobRestore(IBackfillStore store, TimeProvider time)
{
    /// <summary>Replaces the rows of <paramref name="job"/>'s target table with its snapshot, in one transaction; the caller holds the job's lease.</summary>
    public async Task<RestoreResult> RestoreAsync(BackfillJob job, BackfillRecord existing, CancellationToken cancellationToken)
    {
        if (existing.Backup is null)
        {
            throw new BackfillRefusedException(
                $"Backfill job '{existing.Name}' has no backup to restore: no run of it has taken one (a run takes it before its first write; runs by a Cutover older than backups took none).");
        }

        var database = BackfillDatabase.For(job.Target);
        await using var connection = await database.OpenAsync("target", cancellationToken);
        var rows = await TableBackup.RestoreAsync(database, connection, job.TargetTable, existing.Backup, cancellationToken);
        var record = existing with
        {
            Status = BackfillStatus.Stopped,
            LastKey = null,
            RowsCopied = 0,
            Checksum = new RowChecksum().Value,
            RunStartRows = 0,
            HighWater = null,
            Skipped = null,
            UpdatedAt = StoreTime.Now(time),
            LastError = null,
            Ranges = [],
        };
        await store.SplitBackfillAsync(existing.Name, [], cancellationToken);
        await store.SaveBackfillAsync(record, cancellationToken);
        return new RestoreResult(record, rows);
    }
}
