namespace Cutover.Core.Configuration;

/// <summary>
/// The <c>checks.health</c> section: where each backend says it is healthy, as a path appended
/// to its base URL the way a forwarded request's path is.
/// </summary>
public sealed record HealthChecksConfig
{
    /// <summary>The legacy backend's health path, such as <c>/healthz</c>.</summary>
    public string? Legacy { get; init; }

    /// <summary>The candidate backend's health path.</summary>
    public string? Candidate { get; init; }
}
