namespace Cutover.Core.Configuration;

/// <summary>
/// The <c>checks</c> section of a migration as written: what must hold before a migration moves
/// traffic (both sides healthy, custom HTTP checks passing), checked by <c>cutover check</c> and
/// before a plan starts.
/// </summary>
public sealed record ChecksConfig
{
    /// <summary>The health endpoint of each side, as paths on its backend. The default is "/" for both.</summary>
    public HealthChecksConfig? Health { get; init; }

    /// <summary>How long each check may take, as a duration; a custom check may set its own. The default value is 5s.</summary>
    public string? Timeout { get; init; }

    /// <summary>Custom checks: URLs that must answer as expected.</summary>
    public IReadOnlyList<HttpCheckConfig> Http { get; init; } = [];

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
