namespace Cutover.Core.Analysis;

/// <summary>
/// What a plan's backfill job says now, for conditions on <c>backfill.lagSeconds</c> and
/// <c>backfill.verified</c>: read from the job's record in the store at each look, not from a
/// window, since the data either follows the source or does not.
/// </summary>
/// <param name="Job">The job's name, for details.</param>
/// <param name="LagSeconds">
/// Seconds since the target was last known to hold what the source held: since the job completed,
/// or since its latest catch-up pass ended without error. Null when that cannot be told (the job is
/// still copying, or its latest catch-up pass failed); <paramref name="Unknown"/> says why.
/// </param>
/// <param name="Verified">Whether the job's latest verify found the target identical to the source.</param>
/// <param name="Unknown">Why <paramref name="LagSeconds"/> is null, or null.</param>
public sealed record BackfillFacts(string Job, double? LagSeconds, bool Verified, string? Unknown)
{
    /// <summary>What the names of the metrics read from a plan's backfill job start with: <c>backfill.lagSeconds</c>, <c>backfill.verified</c>.</summary>
    public const string MetricPrefix = "backfill.";
}
