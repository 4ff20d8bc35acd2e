namespace Cutover.Store;

/// <summary>
/// What the backfill engine keeps in the control store: each job's definition and checkpoint, and
/// the lease that lets one run of a job go at a time. Its own interface, implemented by the same
/// stores as <see cref="IControlStore"/>, so the proxy's contract does not grow with the engine's.
/// </summary>
public interface IBackfillStore : IAsyncDisposable
{
    /// <summary>A short description for logs and errors, without secrets (e.g. "sqlite:cutover.db").</summary>
    string Description { get; }

    /// <summary>Creates the schema or upgrades it to the current version; safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes or renews a lease; the same leases as <see cref="IControlStore.TryLeaseAsync"/>.</summary>
    Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken = default);

    /// <summary>Gives up a lease, so the next run need not wait for it to expire.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Who holds a lease (expired or not), or null when no one does: a run refused by a lease can
    /// tell a holder that died on this machine (killed, crashed) from one that is running, and
    /// take over at once instead of waiting for the term to run out.
    /// </summary>
    Task<string?> GetLeaseHolderAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>One job's record, or null when the store has never run it.</summary>
    Task<BackfillRecord?> GetBackfillAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every job's record, by name.</summary>
    Task<IReadOnlyList<BackfillRecord>> GetBackfillsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a job's record whole (insert or replace) in one transaction: the checkpoint is either
    /// the old one or the new one, never half of each.
    /// </summary>
    Task SaveBackfillAsync(BackfillRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the key ranges of a split job with <paramref name="ranges"/> in one transaction (none:
    /// the job is not split). Done once per job start, by the run that holds the job's lease.
    /// </summary>
    Task SplitBackfillAsync(string job, IReadOnlyList<BackfillRange> ranges, CancellationToken cancellationToken = default);

    /// <summary>A split job's ranges in key order; empty when the job is not split.</summary>
    Task<IReadOnlyList<BackfillRange>> GetBackfillRangesAsync(string job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the first range of <paramref name="job"/> that is pending, or running under a claim
    /// that expired, for <paramref name="holder"/> until <paramref name="term"/> from now; null when
    /// there is none. Two workers claiming at once never get the same range: PostgreSQL skips rows
    /// another claim has locked (<c>FOR UPDATE SKIP LOCKED</c>), SQLite has one writer at a time.
    /// </summary>
    Task<BackfillRange?> ClaimBackfillRangeAsync(string job, string holder, TimeSpan term, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a range's checkpoint and status in one transaction and renews its claim for
    /// <paramref name="term"/>, only while <see cref="BackfillRange.Holder"/> still holds it; a
    /// <see cref="BackfillRangeStatus.Pending"/> range is given back (no holder). False when another
    /// worker took the range over, so the caller stops copying it.
    /// </summary>
    Task<bool> SaveBackfillRangeAsync(BackfillRange range, TimeSpan term, CancellationToken cancellationToken = default);
}
