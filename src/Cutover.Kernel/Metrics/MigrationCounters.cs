using Cutover.Kernel.Routing;

namespace Cutover.Kernel.Metrics;

/// <summary>The counters of both sides of one migration, of its shadow traffic and of the requests a tester forced to a side.</summary>
public sealed class MigrationCounters
{
    private long _rescued;

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

    /// <summary>
    /// Requests the candidate failed before any byte of its answer reached the user, replayed to
    /// legacy (the migration's <c>failover</c>), which answered them. Each is also one of the
    /// candidate's errors, so the candidate is judged as if no one had been rescued.
    /// </summary>
    public long Rescued => Volatile.Read(ref _rescued);

    /// <summary>Counts a request legacy answered after the candidate failed it.</summary>
    public void RecordRescued() => Interlocked.Increment(ref _rescued);

    /// <summary>The counters of a side.</summary>
    public SideCounters Of(Side side) => side == Side.Candidate ? Candidate : Legacy;
}
