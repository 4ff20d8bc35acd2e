using Cutover.Store;

namespace Cutover.Backfill.Copying;

/// <summary>
/// A request that a job's run pause between batches, kept in the store as the lease
/// <c>backfill-pause:NAME</c>: <c>cutover backfill pause</c> (another process) takes it, the run
/// checks it before each batch and waits while it is there, and <c>resume</c> releases it. A lease
/// rather than the job's status, because the run rewrites its whole record at every checkpoint and
/// would overwrite a status set meanwhile; and it needs no schema change.
/// </summary>
internal sealed class PauseRequest(ILeaseStore store, string job)
{
    /// <summary>The request stays until released; a lease needs a term, so it is a long one.</summary>
    private static readonly TimeSpan Term = TimeSpan.FromDays(3650);

    private const string Holder = "cutover-backfill-pause";

    /// <summary>Whether a pause is asked for.</summary>
    public async Task<bool> IsAskedAsync(CancellationToken cancellationToken) =>
        await store.GetLeaseHolderAsync(Name, cancellationToken) is not null;

    /// <summary>Asks the run to pause.</summary>
    public Task AskAsync(CancellationToken cancellationToken) => store.TryLeaseAsync(Name, Holder, Term, cancellationToken);

    /// <summary>Withdraws the request, so a paused run goes on.</summary>
    public Task WithdrawAsync(CancellationToken cancellationToken) => store.ReleaseLeaseAsync(Name, Holder, cancellationToken);

    private string Name => "backfill-pause:" + job;
}
