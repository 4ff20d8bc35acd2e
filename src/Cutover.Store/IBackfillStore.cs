namespace Cutover.Store;

/// <summary>
/// What the backfill engine keeps in the control store: each job's definition and checkpoint, a
/// split job's key ranges, and (through <see cref="ILeaseStore"/>) the lease that lets one run of a
/// job go at a time. Its own interface, implemented by the same stores as <see cref="IControlStore"/>,
/// so the proxy's contract does not grow with the engine's.
/// </summary>
public interface IBackfillStore : ILeaseStore
{
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
    /// Keeps <paramref name="verify"/> as the job's latest verify result (<see cref="BackfillRecord.LastVerify"/>),
    /// leaving its checkpoint as it is, so the dashboard and <c>status</c> show whether the copy was
    /// last found clean. Does nothing when the store has no job called <paramref name="job"/>.
    /// </summary>
    Task SaveBackfillVerifyAsync(string job, string verify, CancellationToken cancellationToken = default);

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
