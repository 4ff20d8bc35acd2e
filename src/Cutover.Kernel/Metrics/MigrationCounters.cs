using Cutover.Kernel.Routing;

namespace Cutover.Kernel.Metrics;

/// <summary>The counters of both sides of one migration, of its shadow traffic and of the requests a tester forced to a side.</summary>
public sealed class MigrationCounters
{
    /// <summary>The legacy side.</summary>
    public SideCounters Legacy { get; } = new();

    /// <summary>The candidate side.</summary>
    public SideCounters Candidate { get; } = new();

    /// <summary>What happened to the requests eligible for mirroring.</summary>
    public ShadowCounters Shadow { get; } = new();

    /// <summary>The requests whose side a tester forced, kept apart from both sides' counters.</summary>
    public OverrideCounters Overrides { get; } = new();

    /// <summary>The last failed requests of either side.</summary>
    public RecentErrors RecentErrors { get; } = new();

    /// <summary>The counters of a side.</summary>
    public SideCounters Of(Side side) => side == Side.Candidate ? Candidate : Legacy;
}
