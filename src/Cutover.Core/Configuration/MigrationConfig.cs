using Cutover.Core.State;

namespace Cutover.Core.Configuration;

/// <summary>One migration as written in the config file.</summary>
public sealed record MigrationConfig
{
    /// <summary>Unique name, lower-case letters, digits and dashes: it appears in URLs, metrics and the audit log.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Where the two sides run: http (a route the proxy forwards) or code (inside an application, through Cutover.Client). The default value is http.</summary>
    public string? Kind { get; init; }

    /// <summary>Which requests belong to the migration.</summary>
    public MatchConfig? Match { get; init; }

    /// <summary>The legacy backend: its base URL, and optionally how to speak to it.</summary>
    public BackendConfig? Legacy { get; init; }

    /// <summary>The candidate backend: its base URL, and optionally how to speak to it.</summary>
    public BackendConfig? Candidate { get; init; }

    /// <summary>The initial mode: legacy, shadow, canary, candidate or retired. The default value is legacy.</summary>
    public string? Mode { get; init; }

    /// <summary>The initial canary weight as written, a percentage in 0..100 (the validator makes it a <c>Weight</c>). The default value is 0.</summary>
    public double? Weight { get; init; }

    /// <summary>Where the sticky key comes from: header:NAME, cookie:NAME, query:NAME or client-ip. The default is Cutover's own cookie.</summary>
    public string? StickyBy { get; init; }

    /// <summary>How long each side may stay silent before a request fails with 504. The default value is 100 seconds.</summary>
    public TimeoutsConfig? Timeouts { get; init; }

    /// <summary>How requests are mirrored to the candidate in shadow mode (and canary mode, when asked).</summary>
    public ShadowConfig? Shadow { get; init; }

    /// <summary>How the two sides' answers are compared.</summary>
    public CompareConfig? Compare { get; init; }

    /// <summary>What must hold before the migration moves traffic: health endpoints and custom HTTP checks.</summary>
    public ChecksConfig? Checks { get; init; }

    /// <summary>What counts as an error in the migration's metrics; null for 5xx, connection failures and timeouts.</summary>
    public ErrorsConfig? Errors { get; init; }

    /// <summary>Whether a request the candidate fails before answering is replayed to legacy; null (or false) for off.</summary>
    public FailoverConfig? Failover { get; init; }

    /// <summary>How the migration is rolled out, step by step, with gates and triggers; null for a migration moved by hand.</summary>
    public PlanConfig? Plan { get; init; }

    /// <summary>Whether answers carry a <c>Cutover-Side</c> header naming the side that served them. The default value is false.</summary>
    public bool? SideHeader { get; init; }

    /// <summary>How a tester forces the side of a request; null for no override (the default).</summary>
    public OverrideConfig? Override { get; init; }

    /// <summary>The fleet group the migration belongs to (e.g. payments), by the same rule as names; null for none.</summary>
    public string? Group { get; init; }

    /// <summary>How much the migration matters next to the others: critical, high, normal or low. The default value is normal.</summary>
    public string? Priority { get; init; }

    /// <summary>The line the migration starts on, for error messages.</summary>
    public int Line { get; init; }
}
