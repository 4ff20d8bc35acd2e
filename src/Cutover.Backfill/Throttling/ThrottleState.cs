using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

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

/// <summary>A run's throttle state: what holds it back, and why, since when and for how long when it backs off.</summary>
/// <param name="Kind">What holds it back.</param>
/// <param name="Reason">Why it backs off (e.g. "a batch's write took 350ms, over 200ms"); null otherwise.</param>
public sealed record ThrottleState(ThrottleKind Kind, string? Reason = null)
{
    /// <summary>Nothing holds the run back.</summary>
    public static readonly ThrottleState None = new(ThrottleKind.None);

    /// <summary>The run waits for its rate limit.</summary>
    public static readonly ThrottleState RateLimited = new(ThrottleKind.RateLimited);

    /// <summary>The run is paused.</summary>
    public static readonly ThrottleState Paused = new(ThrottleKind.Paused);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>When the backoff began (its first wait), kept while the target stays unhealthy; null when not backing off.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The current wait of a backoff (the backoff, doubled at each unhealthy check, up to the cap); zero otherwise.</summary>
    public TimeSpan Wait { get; init; }

    /// <summary>The run backs off for <paramref name="wait"/> because of <paramref name="why"/>, as it has since <paramref name="since"/>.</summary>
    public static ThrottleState BackingOff(string why, TimeSpan wait, DateTimeOffset since) =>
        new(ThrottleKind.BackingOff, why) { Since = since, Wait = wait };

    /// <summary>
    /// The state as the job's record keeps it (<see cref="Store.BackfillRecord.Throttle"/>): a backoff
    /// is stored so that <c>status</c> in another process can show it; nothing else is (a pause is the
    /// record's status, and a rate-limit wait comes before nearly every batch), so it is null.
    /// </summary>
    public string? Encode() => Kind == ThrottleKind.BackingOff ? JsonSerializer.Serialize(this, Json) : null;

    /// <summary>The state a job's record keeps, or null when it keeps none.</summary>
    public static ThrottleState? Parse(string? stored) => stored is null ? null : JsonSerializer.Deserialize<ThrottleState>(stored, Json);

    /// <summary>"none", "rate limit", "paused" or "backing off: WHY; waiting 2s".</summary>
    public override string ToString() => Kind switch
    {
        ThrottleKind.RateLimited => "rate limit",
        ThrottleKind.BackingOff => $"backing off: {Reason}; waiting {Throttles.Text(Wait)}",
        ThrottleKind.Paused => "paused",
        _ => "none",
    };
}
