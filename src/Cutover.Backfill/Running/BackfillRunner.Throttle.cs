using Cutover.Backfill.Copying;
using Cutover.Backfill.Leases;
using Cutover.Store;

namespace Cutover.Backfill.Running;

public sealed partial class BackfillRunner
{
    /// <summary>How often a paused run looks whether it was resumed.</summary>
    public static readonly TimeSpan PausePoll = RunWaits.PausePoll;

    /// <summary>
    /// Asks the running job called <paramref name="name"/> to pause after its current batch (its
    /// status reads <c>paused</c> once it does); <see cref="UnpauseAsync"/> lets it go on. Refused
    /// when no run holds the job, pointing at <c>resume</c> for a stopped or failed one.
    /// </summary>
    public async Task<BackfillRecord> PauseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await store.InitializeAsync(cancellationToken);
        var (record, _) = await StoredAsync(name, cancellationToken);
        if (record.Status is not (BackfillStatus.Running or BackfillStatus.Paused) || !await JobLease.IsHeldAsync(store, name, cancellationToken))
        {
            throw new BackfillRefusedException(
                $"Backfill job '{name}' is not running (status {MessageText.Status(record.Status)}, no run holds it in {store.Description}); there is nothing to pause. " +
                (record.Status == BackfillStatus.Completed ? "It completed." : $"It is already at rest at its checkpoint; `cutover backfill resume {name}` continues it."));
        }

        await new PauseRequest(store, name).AskAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// Withdraws a pause asked of the job called <paramref name="name"/>; true when a run holds the
    /// job and so goes on by itself, false when there is no such run (then <c>resume</c> copies).
    /// </summary>
    public async Task<bool> UnpauseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await store.InitializeAsync(cancellationToken);
        var pause = new PauseRequest(store, name);
        if (!await pause.IsAskedAsync(cancellationToken))
        {
            return false;
        }

        await pause.WithdrawAsync(cancellationToken);
        return await JobLease.IsHeldAsync(store, name, cancellationToken);
    }
}
