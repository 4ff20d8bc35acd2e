using Cutover.Core.Comparison;
using Cutover.Core.Shadow;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Routing;

/// <summary>
/// The runtime form of one migration: its validated config joined with its current state.
/// Immutable; a change of mode or weight builds a new model inside a new <see cref="RoutingSnapshot"/>.
/// </summary>
public sealed class MigrationModel
{
    /// <summary>Creates a model.</summary>
    public MigrationModel(MigrationDefinition definition, MigrationMode mode, Weight weight, MigrationCounters counters)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Name = definition.Name;
        Match = definition.Match;
        Legacy = definition.Legacy;
        Candidate = definition.Candidate;
        Backends = definition.Backends;
        Mode = mode;
        Weight = weight;
        StickyBy = definition.StickyBy;
        LegacyTimeout = definition.LegacyTimeout;
        CandidateTimeout = definition.CandidateTimeout;
        Shadow = definition.Shadow;
        Compare = definition.Compare;
        Errors = definition.Errors;
        SideHeader = definition.SideHeader;
        Override = definition.Override;
        Failover = definition.Failover;
        Counters = counters;
        CandidateBuckets = weight.CandidateBuckets;
        StickySeed = StickyBucket.Seed(Name);
        LegacyPrefix = Legacy.AbsoluteUri;
        CandidatePrefix = Candidate.AbsoluteUri;
        Mirrors = mode == MigrationMode.Shadow || (mode == MigrationMode.Canary && Shadow.AlsoInCanary);
    }

    /// <summary>The migration's unique name.</summary>
    public string Name { get; }

    /// <summary>Which requests belong to the migration.</summary>
    public MatchModel Match { get; }

    /// <summary>The legacy backend's base address.</summary>
    public Uri Legacy { get; }

    /// <summary>The candidate backend's base address.</summary>
    public Uri Candidate { get; }

    /// <summary>How each side is spoken to besides its address.</summary>
    public SideBackends Backends { get; }

    /// <summary>The legacy address as the forwarder's destination prefix, computed once.</summary>
    public string LegacyPrefix { get; }

    /// <summary>The candidate address as the forwarder's destination prefix, computed once.</summary>
    public string CandidatePrefix { get; }

    /// <summary>The current mode.</summary>
    public MigrationMode Mode { get; }

    /// <summary>The percentage of users sent to the candidate in canary mode.</summary>
    public Weight Weight { get; }

    /// <summary>How many of the 10,000 sticky buckets go to the candidate in canary mode.</summary>
    public int CandidateBuckets { get; }

    /// <summary>The migration's part of every sticky key's hash (<see cref="StickyBucket.Seed"/>), computed once so a request hashes only its key.</summary>
    public ulong StickySeed { get; }

    /// <summary>Where the sticky key comes from.</summary>
    public StickyKeySource StickyBy { get; }

    /// <summary>How long the legacy backend may stay silent before the request fails with 504.</summary>
    public TimeSpan LegacyTimeout { get; }

    /// <summary>How long the candidate backend may stay silent before the request fails with 504.</summary>
    public TimeSpan CandidateTimeout { get; }

    /// <summary>How requests are mirrored to the candidate.</summary>
    public ShadowPolicy Shadow { get; }

    /// <summary>How legacy's and the candidate's answers to a mirrored request are compared.</summary>
    public ResponseRules Compare { get; }

    /// <summary>What counts as an error when a request to either side is counted.</summary>
    public ErrorPolicy Errors { get; }

    /// <summary>Whether answers carry a <c>Cutover-Side</c> header naming the side that served them.</summary>
    public bool SideHeader { get; }

    /// <summary>
    /// How a tester forces the side of a request; null when the migration has none. Present in
    /// every mode, though a retired migration does not honour it (its legacy may be gone).
    /// </summary>
    public RouteOverride? Override { get; }

    /// <summary>Which requests the candidate fails are replayed to legacy; null when failover is off.</summary>
    public FailoverPolicy? Failover { get; }

    /// <summary>
    /// Whether requests served by legacy are mirrored to the candidate: always in shadow mode,
    /// and in canary mode for the users still on legacy when the migration asks for it.
    /// </summary>
    public bool Mirrors { get; }

    /// <summary>The per-side request counters; shared by every model of this migration so changes do not reset them.</summary>
    public MigrationCounters Counters { get; }

    /// <summary>Whether the side depends on the request's sticky bucket; only canary mode needs the key.</summary>
    public bool NeedsStickyKey => Mode == MigrationMode.Canary && CandidateBuckets is > 0 and < StickyBucket.Count;

    /// <summary>The side for a request, given its bucket (ignored unless <see cref="NeedsStickyKey"/>).</summary>
    public Side Decide(int bucket) => Mode switch
    {
        MigrationMode.Candidate or MigrationMode.Retired => Side.Candidate,
        MigrationMode.Canary => bucket < CandidateBuckets ? Side.Candidate : Side.Legacy,
        _ => Side.Legacy,
    };

    /// <summary>The backend address of a side.</summary>
    public string PrefixOf(Side side) => side == Side.Candidate ? CandidatePrefix : LegacyPrefix;

    /// <summary>The silence timeout of a side.</summary>
    public TimeSpan TimeoutOf(Side side) => side == Side.Candidate ? CandidateTimeout : LegacyTimeout;
}
