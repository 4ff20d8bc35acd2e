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
    /// <summary>The margin of a job file without <c>catchUp.margin</c>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultMargin = TimeSpan.FromSeconds(5);

    /// <summary>The longest margin a job file may set: 1 hour.</summary>
    public static readonly TimeSpan MaxMargin = TimeSpan.FromHours(1);

    /// <summary>
    /// How far below the recorded high-water mark a pass reads again (<c>catchUp.margin</c>) when
    /// the change column is a time: a row written in the same clock tick as the mark, or by a
    /// writer whose clock is a little behind, has a change value that is not above the mark and
    /// would be missed. Re-copying those rows is harmless (upserts). Zero turns it off; a column
    /// of numbers is never read below its mark. The default value is 5 seconds.
    /// </summary>
    public TimeSpan Margin { get; init; } = DefaultMargin;

    /// <summary>The settings of a job file without a <c>catchUp</c> section.</summary>
    public static CatchUpSettings Default { get; } = new(100, 10);
}
