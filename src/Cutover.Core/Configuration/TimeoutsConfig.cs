namespace Cutover.Core.Configuration;

/// <summary>
/// Per-side silence timeouts, as durations like "30s" or "500ms". They bound the time between
/// two signs of life from the backend, not the whole exchange, so a long streamed body is fine.
/// </summary>
public sealed record TimeoutsConfig
{
    /// <summary>The legacy side's timeout.</summary>
    public string? Legacy { get; init; }

    /// <summary>The candidate side's timeout.</summary>
    public string? Candidate { get; init; }
}
