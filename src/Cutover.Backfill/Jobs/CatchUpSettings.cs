namespace Cutover.Backfill.Jobs;

/// <summary>
/// When catch-up stops: after a pass that copied fewer than <paramref name="MaxLagRows"/> changed
/// rows (the source is close enough behind that the final pass at cut-over is short), or after
/// <paramref name="MaxPasses"/> passes when writes outpace it.
/// </summary>
/// <param name="MaxLagRows">A pass copying fewer changed rows than this ends the catch-up as caught up.</param>
/// <param name="MaxPasses">Passes at most in one <c>cutover backfill catchup</c>.</param>
public sealed record CatchUpSettings(int MaxLagRows, int MaxPasses)
{
    /// <summary>The settings of a job file without a <c>catchUp</c> section.</summary>
    public static CatchUpSettings Default { get; } = new(100, 10);
}
