namespace Cutover.Store;

/// <summary>
/// Named leases with a term, so that of several processes sharing a store one at a time does a job
/// (running plans, running a backfill job), and another takes over within a term when it dies.
/// </summary>
public interface ILeaseStore : IStore
{
    /// <summary>
    /// Takes or renews the lease called <paramref name="name"/> for <paramref name="holder"/> until
    /// <paramref name="term"/> from now; true when <paramref name="holder"/> holds it. A lease held
    /// by another is taken only once it has expired, so of several replicas one at a time does a
    /// job (such as running plans), and another takes over within a term when it dies.
    /// </summary>
    Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken = default);

    /// <summary>Gives up a lease <paramref name="holder"/> holds, so another takes it at once rather than after the term.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Who holds a lease (expired or not), or null when no one does: a run refused by a lease can
    /// tell a holder that died on this machine (killed, crashed) from one that is running, and
    /// take over at once instead of waiting for the term to run out.
    /// </summary>
    Task<string?> GetLeaseHolderAsync(string name, CancellationToken cancellationToken = default);
}
