using Cutover.Core.Routing;

namespace Cutover.Core.Metrics;

/// <summary>The counters of both sides of one migration.</summary>
public sealed class MigrationCounters
{
    /// <summary>The legacy side.</summary>
    public SideCounters Legacy { get; } = new();

    /// <summary>The candidate side.</summary>
    public SideCounters Candidate { get; } = new();

    /// <summary>The counters of a side.</summary>
    public SideCounters Of(Side side) => side == Side.Candidate ? Candidate : Legacy;
}
