namespace Cutover.Backfill.Leases;

/// <summary>
/// What a command holds while it copies, renewed between batches and while it waits (a backoff, a
/// pause, a retry): the job's lease (<see cref="JobLease"/>) for a job copied by one worker, or a
/// worker's claim on one key range of a split job. Either stops the copy once another took it over.
/// </summary>
internal interface IRunHold
{
    /// <summary>Renews the hold when due; throws when another command or worker took it over.</summary>
    Task RenewAsync(CancellationToken cancellationToken);
}
