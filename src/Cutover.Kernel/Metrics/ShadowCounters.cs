namespace Cutover.Kernel.Metrics;

/// <summary>
/// What happened to the requests of one migration that were eligible for mirroring, since the
/// process started. Every eligible request ends in exactly one of mirrored, dropped or skipped;
/// every mirrored copy in exactly one of compared (then equal or divergent) or candidate error,
/// except the few still in flight.
/// </summary>
public sealed class ShadowCounters
{
    private long _mirrored;
    private long _dropped;
    private long _skipped;
    private long _equal;
    private long _divergent;
    private long _candidateErrors;
    private string? _lastCandidateError;

    /// <summary>Copies queued for the candidate.</summary>
    public long Mirrored => Volatile.Read(ref _mirrored);

    /// <summary>Copies not made because the queue was full, in copies or in bytes: the user's response never waits for a copy.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Requests not copied: a method that is not mirrored, a body over the buffer limit, or no answer from legacy to compare with.</summary>
    public long Skipped => Volatile.Read(ref _skipped);

    /// <summary>The bytes the migration's waiting and in-flight copies hold now (request bodies, legacy's captured answers, headers); 0 once the queue has drained.</summary>
    public HeldBytes Queued { get; } = new();

    /// <summary>Pairs compared.</summary>
    public long Compared => Equal + Divergent;

    /// <summary>Pairs equal under the rules.</summary>
    public long Equal => Volatile.Read(ref _equal);

    /// <summary>Pairs that differed.</summary>
    public long Divergent => Volatile.Read(ref _divergent);

    /// <summary>Copies the candidate did not answer in full: refused, reset, timed out, or over the size limit.</summary>
    public long CandidateErrors => Volatile.Read(ref _candidateErrors);

    /// <summary>What went wrong with the last copy the candidate failed to answer, naming the endpoint; null until one fails.</summary>
    public string? LastCandidateError => Volatile.Read(ref _lastCandidateError);

    /// <summary>Divergent pairs per compared pair; 0 before anything was compared.</summary>
    public double DivergenceRate
    {
        get
        {
            var divergent = Divergent;
            var compared = Equal + divergent;
            return compared == 0 ? 0 : (double)divergent / compared;
        }
    }

    /// <summary>Counts a queued copy.</summary>
    public void RecordMirrored() => Interlocked.Increment(ref _mirrored);

    /// <summary>Counts a copy dropped at a full queue.</summary>
    public void RecordDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>Counts a request that could not be copied.</summary>
    public void RecordSkipped() => Interlocked.Increment(ref _skipped);

    /// <summary>Counts a compared pair.</summary>
    public void RecordCompared(bool equal) => Interlocked.Increment(ref equal ? ref _equal : ref _divergent);

    /// <summary>Counts a copy the candidate failed to answer.</summary>
    public void RecordCandidateError(string reason)
    {
        Interlocked.Increment(ref _candidateErrors);
        Volatile.Write(ref _lastCandidateError, reason);
    }

    /// <summary>Counts comparisons made elsewhere: the deltas an application's in-process SDK reports for a code-level migration in shadow mode.</summary>
    public void Add(long equal, long divergent, long candidateErrors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(equal);
        ArgumentOutOfRangeException.ThrowIfNegative(divergent);
        ArgumentOutOfRangeException.ThrowIfNegative(candidateErrors);
        Interlocked.Add(ref _equal, equal);
        Interlocked.Add(ref _divergent, divergent);
        Interlocked.Add(ref _candidateErrors, candidateErrors);
    }
}
