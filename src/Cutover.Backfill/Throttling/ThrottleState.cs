using System.Globalization;

namespace Cutover.Backfill.Throttling;

/// <summary>What is holding a run back, as <c>run</c> shows it.</summary>
public enum ThrottleKind
{
    /// <summary>Nothing: batches go as fast as both databases take them.</summary>
    None,

    /// <summary>The run waits to keep under <c>rateLimit</c>.</summary>
    RateLimited,

    /// <summary>The target was unhealthy (slow writes, a health query over its maximum) and the run waits for it.</summary>
    BackingOff,

    /// <summary><c>cutover backfill pause</c> asked the run to wait between batches until <c>resume</c>.</summary>
    Paused,
}

/// <summary>A run's throttle state: what holds it back, and why when it backs off.</summary>
/// <param name="Kind">What holds it back.</param>
/// <param name="Reason">Why it backs off (e.g. "a batch's write took 350ms, over 200ms"), with the wait; null otherwise.</param>
public sealed record ThrottleState(ThrottleKind Kind, string? Reason = null)
{
    /// <summary>Nothing holds the run back.</summary>
    public static readonly ThrottleState None = new(ThrottleKind.None);

    /// <summary>The run waits for its rate limit.</summary>
    public static readonly ThrottleState RateLimited = new(ThrottleKind.RateLimited);

    /// <summary>The run is paused.</summary>
    public static readonly ThrottleState Paused = new(ThrottleKind.Paused);

    /// <summary>The run backs off for <paramref name="wait"/> because of <paramref name="why"/>.</summary>
    public static ThrottleState BackingOff(string why, TimeSpan wait) =>
        new(ThrottleKind.BackingOff, string.Create(CultureInfo.InvariantCulture, $"{why}; waiting {Throttles.Text(wait)}"));

    /// <summary>"none", "rate limit", "paused" or "backing off: WHY; waiting 2s".</summary>
    public override string ToString() => Kind switch
    {
        ThrottleKind.RateLimited => "rate limit",
        ThrottleKind.BackingOff => $"backing off: {Reason}",
        ThrottleKind.Paused => "paused",
        _ => "none",
    };
}
