using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.Copying;

/// <summary>
/// What the code running a job set on <c>BackfillRunner</c>, handed whole to the part that copies
/// (a whole job, range workers, catch-up passes), so each reports and stops the same way.
/// </summary>
/// <param name="Transform">A transform used instead of the job file's; null uses the job file's.</param>
/// <param name="Progress">Called after the schema check, after each checkpoint and while a run waits.</param>
/// <param name="Retrying">Called when a lost connection is about to be retried, before the wait.</param>
/// <param name="Stopping">Stops a run between batches.</param>
/// <param name="Workers">Workers on a split job in this process.</param>
internal sealed record RunSettings(IRowTransform? Transform, Action<BackfillProgress>? Progress, Action<BackfillRetry>? Retrying, CancellationToken Stopping, int Workers);
