using Cutover.Backfill.Backups;
using Cutover.Backfill.Leases;

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
            return await new JobRestore(store, time).RestoreAsync(job, existing, ct);
        }, cancellationToken);
    }
}
