using Cutover.Core.Metrics;

namespace Cutover.Core.Routing;

/// <summary>
/// The runtime form of one migration: its validated config joined with its current state.
/// Immutable; a change of mode or weight builds a new model inside a new <see cref="RoutingSnapshot"/>.
/// </summary>
public sealed class MigrationModel
{
    /// <summary>Creates a model; <paramref name="weight"/> is a percentage in 0..100.</summary>
    public MigrationModel(
        string name,
        MatchModel match,
        Uri legacy,
        Uri candidate,
        MigrationMode mode,
        double weight,
        StickyKeySource stickyBy,
        TimeSpan legacyTimeout,
        TimeSpan candidateTimeout,
        MigrationCounters counters)
    {
        Name = name;
        Match = match;
        Legacy = legacy;
        Candidate = candidate;
        Mode = mode;
        Weight = weight;
        StickyBy = stickyBy;
        LegacyTimeout = legacyTimeout;
        CandidateTimeout = candidateTimeout;
        Counters = counters;
        CandidateBuckets = StickyBucket.CandidateBuckets(weight);
        LegacyPrefix = legacy.AbsoluteUri;
        CandidatePrefix = candidate.AbsoluteUri;
    }

    /// <summary>The migration's unique name.</summary>
    public string Name { get; }

    /// <summary>Which requests belong to the migration.</summary>
    public MatchModel Match { get; }

    /// <summary>The legacy backend's base address.</summary>
    public Uri Legacy { get; }

    /// <summary>The candidate backend's base address.</summary>
    public Uri Candidate { get; }

    /// <summary>The legacy address as the forwarder's destination prefix, computed once.</summary>
    public string LegacyPrefix { get; }

    /// <summary>The candidate address as the forwarder's destination prefix, computed once.</summary>
    public string CandidatePrefix { get; }

    /// <summary>The current mode.</summary>
    public MigrationMode Mode { get; }

    /// <summary>The percentage of users sent to the candidate in canary mode.</summary>
    public double Weight { get; }

    /// <summary>How many of the 10,000 sticky buckets go to the candidate in canary mode.</summary>
    public int CandidateBuckets { get; }

    /// <summary>Where the sticky key comes from.</summary>
    public StickyKeySource StickyBy { get; }

    /// <summary>How long the legacy backend may stay silent before the request fails with 504.</summary>
    public TimeSpan LegacyTimeout { get; }

    /// <summary>How long the candidate backend may stay silent before the request fails with 504.</summary>
    public TimeSpan CandidateTimeout { get; }

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
