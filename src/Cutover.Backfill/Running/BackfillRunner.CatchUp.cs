using Cutover.Backfill.CatchUp;
using Cutover.Backfill.Leases;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>Catch-up: copying again the rows that changed in the source after a completed copy.</summary>
public sealed partial class BackfillRunner
{
    /// <summary>
    /// Runs catch-up passes on the completed job called <paramref name="name"/>: each reads the change
    /// column's high-water mark, upserts the rows whose change value is above the mark recorded when
    /// the previous pass started (less <c>catchUp.margin</c> for a time), then records the new mark.
    /// Passes repeat until one copies fewer than <c>catchUp.maxLagRows</c> rows, the mark stays
    /// where it was, or <c>catchUp.maxPasses</c> have run. A pass that fails
    /// keeps the old mark, so the next catch-up copies its rows again (upserts make that harmless), and
    /// records why on the job (the last error <c>status</c> shows until a pass succeeds).
    /// Changed rows go through the job's transform and <c>onError</c> as in the full copy, so a
    /// skipped row is added to the job's skipped rows and keeps its old target row.
    /// </summary>
    public Task<CatchUpResult> CatchUpAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var lease = new JobLease(store, time, name);
        return lease.HoldAsync(async ct =>
        {
            var (record, job) = await StoredAsync(name, ct);
            if (job.ChangeColumn is null)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' has no changeColumn, so there is no way to tell which rows changed; add e.g. 'changeColumn: updated_at' to the job file and run it again with `cutover backfill run -f JOB.yaml --restart`.");
            }

            if (record.Status != BackfillStatus.Completed)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' has not completed its copy ({MessageText.Rows(record.RowsCopied)}, {MessageText.Status(record.Status)}); catch-up follows a full copy. Run `cutover backfill resume {name}` first.");
            }

            return await new CatchUpPasses(store, time, Settings).RunAsync(job, record, lease, ct);
        }, cancellationToken);
    }
}
