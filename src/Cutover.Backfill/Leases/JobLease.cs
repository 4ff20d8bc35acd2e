using Cutover.Store;

namespace Cutover.Backfill.Leases;

/// <summary>
/// The store's lease <c>backfill:NAME</c>, which lets one command at a time work on a job: a run,
/// a resume, a verify, a catch-up or a restore. Held for <see cref="Term"/> and renewed every
/// third of it, so a process that died is taken over once its hold expires, or at once when it
/// died on this machine (its holder name, a <see cref="RunHolder"/>, says so).
/// </summary>
internal sealed class JobLease(ILeaseStore store, TimeProvider time, string job) : IRunHold
{
    /// <summary>How long a hold lasts without renewal.</summary>
    public static readonly TimeSpan Term = TimeSpan.FromSeconds(30);

    private readonly string _holder = RunHolder.New();
    private DateTimeOffset _leasedAt;

    /// <summary>Runs <paramref name="work"/> holding the lease, released however it ends; refused when another process holds it.</summary>
    public async Task<T> HoldAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        if (!await TryTakeAsync(cancellationToken))
        {
            throw new BackfillBusyException(
                $"Backfill job '{job}' is already running (another `cutover backfill run`, `resume`, `verify`, `catchup` or `restore` holds it in {store.Description}). " +
                $"Watch it with `cutover backfill status {job}`, or stop that process first; if it died on another machine, its hold expires within {Term.TotalSeconds:0} seconds (a run that died on this one is taken over at once).");
        }

        _leasedAt = time.GetUtcNow();
        try
        {
            return await work(cancellationToken);
        }
        finally
        {
            await store.ReleaseLeaseAsync(Name, _holder, CancellationToken.None);
        }
    }

    /// <summary>Renews the hold once a third of its term has passed; a command that lost it stops rather than race the one that took it.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _leasedAt < Term / 3)
        {
            return;
        }

        if (!await store.TryLeaseAsync(Name, _holder, Term, cancellationToken))
        {
            throw new BackfillFailedException(
                $"Backfill job '{job}' lost its hold in {store.Description} to another run (this one went {Term.TotalSeconds:0} seconds without renewing it) and stopped; watch the other with `cutover backfill status {job}`.");
        }

        _leasedAt = now;
    }

    /// <summary>Takes the lease; a holder that died on this machine (a killed command) is released first rather than waited out.</summary>
    private async Task<bool> TryTakeAsync(CancellationToken cancellationToken)
    {
        if (await store.TryLeaseAsync(Name, _holder, Term, cancellationToken))
        {
            return true;
        }

        if (await store.GetLeaseHolderAsync(Name, cancellationToken) is not { } holder || !RunHolder.DiedHere(holder))
        {
            return false;
        }

        await store.ReleaseLeaseAsync(Name, holder, cancellationToken);
        return await store.TryLeaseAsync(Name, _holder, Term, cancellationToken);
    }

    /// <summary>Whether a command holds the job called <paramref name="job"/>, not counting one that died on this machine.</summary>
    public static async Task<bool> IsHeldAsync(ILeaseStore store, string job, CancellationToken cancellationToken) =>
        await store.GetLeaseHolderAsync("backfill:" + job, cancellationToken) is { } holder && !RunHolder.DiedHere(holder);

    private string Name => "backfill:" + job;
}
