using Cutover.Backfill.Backups;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>Putting a job's target table back as it was before the job's first write.</summary>
public sealed partial class BackfillRunner
{
    /// <summary>
    /// Replaces the rows of the target table of the job called <paramref name="name"/> with the
    /// snapshot taken before its first write, in one transaction, under the job's lease (so never
    /// while a run copies). The checkpoint is reset: the target holds none of the job's rows now, so
    /// <c>resume</c> copies from the beginning. The snapshot is kept.
    /// </summary>
    public Task<RestoreResult> RestoreAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new JobLease(store, time, name).HoldAsync(async ct =>
        {
            var (existing, job) = await StoredAsync(name, ct);
            if (existing.Backup is null)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' has no backup to restore: no run of it has taken one (a run takes it before its first write; runs by a Cutover older than backups took none).");
            }

            var database = BackfillDatabase.For(job.Target);
            await using var connection = await database.OpenAsync("target", ct);
            var rows = await TableBackup.RestoreAsync(database, connection, job.TargetTable, existing.Backup, ct);
            var record = existing with
            {
                Status = BackfillStatus.Stopped,
                LastKey = null,
                RowsCopied = 0,
                Checksum = new RowChecksum().Value,
                RunStartRows = 0,
                HighWater = null,
                Skipped = null,
                UpdatedAt = Now(),
                LastError = null,
                Ranges = [],
            };
            await store.SplitBackfillAsync(name, [], ct);
            await store.SaveBackfillAsync(record, ct);
            return new RestoreResult(record, rows);
        }, cancellationToken);
    }
}
