using Cutover.Kernel.Routing;

namespace Cutover.Kernel.Metrics;

/// <summary>
/// The requests of one migration whose side a tester forced with the override, since the process
/// started. They are counted here and only here: a side's own counters, latency histograms and
/// error rates, and so its gates and triggers, judge the traffic the migration routed, not the
/// requests a tester picked.
/// </summary>
public sealed class OverrideCounters
{
    private long _legacy;
    private long _candidate;
    private long _legacyErrors;
    private long _candidateErrors;
    private long _ignored;

    /// <summary>Requests forced to legacy.</summary>
    public long Legacy => Volatile.Read(ref _legacy);

    /// <summary>Requests forced to the candidate.</summary>
    public long Candidate => Volatile.Read(ref _candidate);

    /// <summary>Requests forced to legacy that ended in an error by the migration's error policy.</summary>
    public long LegacyErrors => Volatile.Read(ref _legacyErrors);

    /// <summary>Requests forced to the candidate that ended in an error by the migration's error policy.</summary>
    public long CandidateErrors => Volatile.Read(ref _candidateErrors);

    /// <summary>
    /// Requests that asked for a side and were routed as usual instead: a value other than legacy or
    /// candidate, a client outside the override's networks, a missing or wrong secret, or a retired migration.
    /// </summary>
    public long Ignored => Volatile.Read(ref _ignored);

    /// <summary>The requests forced to a side.</summary>
    public long Of(Side side) => side == Side.Candidate ? Candidate : Legacy;

    /// <summary>The forced requests to a side that ended in an error.</summary>
    public long ErrorsOf(Side side) => side == Side.Candidate ? CandidateErrors : LegacyErrors;

    /// <summary>Counts a request forced to a side, as it is sent.</summary>
    public void RecordForced(Side side) => Interlocked.Increment(ref side == Side.Candidate ? ref _candidate : ref _legacy);

    /// <summary>Counts a forced request that ended in an error.</summary>
    public void RecordError(Side side) => Interlocked.Increment(ref side == Side.Candidate ? ref _candidateErrors : ref _legacyErrors);

    /// <summary>Counts a request whose override was not honoured.</summary>
    public void RecordIgnored() => Interlocked.Increment(ref _ignored);
}
