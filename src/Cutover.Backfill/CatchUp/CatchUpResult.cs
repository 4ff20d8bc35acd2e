using Cutover.Store;

namespace Cutover.Backfill.CatchUp;

/// <summary>What <c>cutover backfill catchup</c> did.</summary>
/// <param name="Record">The job's record with the new high-water mark.</param>
/// <param name="PassRows">The changed rows each pass copied, in order.</param>
/// <param name="CaughtUp">Whether the last pass copied fewer rows than the job's <c>catchUp.maxLagRows</c>; false when the passes ran out first.</param>
public sealed record CatchUpResult(BackfillRecord Record, IReadOnlyList<long> PassRows, bool CaughtUp);
