using System.Runtime.InteropServices;

namespace Cutover.Kernel.Metrics;

/// <summary>
/// Requests, errors and latencies of one side of one migration since the process started.
/// Recorded on the request path with interlocked adds and no allocation; the counts only grow,
/// so the metrics history reads them every 10 seconds and keeps the differences. Padded to its
/// own cache lines so the two sides do not slow each other down on different cores.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public sealed class SideCounters
{
    [FieldOffset(0)]
    private readonly LatencyHistogram _latency = new();

    [FieldOffset(8)]
    private readonly UnansweredRequests _unanswered = new();

    [FieldOffset(64)]
    private long _requests;

    [FieldOffset(72)]
    private long _errors;

    [FieldOffset(80)]
    private long _started;

    // Counted by a sweep as unanswered and not finished yet: still in flight, though counted as requests.
    [FieldOffset(88)]
    private long _unansweredOpen;

    /// <summary>Requests forwarded to this side, finished or failed, and those counted as unanswered (<see cref="CountUnanswered"/>) before they finished.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that counted as errors under the migration's <see cref="ErrorPolicy"/> (by default a 5xx, a connection failure or a timeout).</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Requests sent to this side that have not finished: what a rollback waits for before it reports the candidate drained.</summary>
    public long InFlight => Math.Max(0, Volatile.Read(ref _started) - Requests + Volatile.Read(ref _unansweredOpen));

    /// <summary>How long the requests took, from the proxy's point of view (backend time plus forwarding).</summary>
    public LatencyHistogram Latency => _latency;

    /// <summary>The proxied requests of this side whose answer has not begun, by the second they were sent.</summary>
    public UnansweredRequests Unanswered => _unanswered;

    /// <summary>Counts a request as sent; <see cref="Record"/> counts it finished.</summary>
    public void Start() => Interlocked.Increment(ref _started);

    /// <summary>
    /// Counts a proxied request as sent in <paramref name="second"/>, also on the wheel of
    /// unanswered requests; <see cref="Unanswered"/>'s <c>Answered</c> takes it off when its
    /// answer begins, and <see cref="Record"/> counts it finished.
    /// </summary>
    public void Start(long second)
    {
        _unanswered.Sent(second);
        Interlocked.Increment(ref _started);
    }

    /// <summary>
    /// Counts one finished request. One that a sweep already counted as unanswered
    /// (<paramref name="countedUnanswered"/>) adds only its latency: it is a request and an error already.
    /// </summary>
    public void Record(long microseconds, bool failed, bool countedUnanswered = false)
    {
        _latency.Record(microseconds);
        if (countedUnanswered)
        {
            Interlocked.Decrement(ref _unansweredOpen);
            return;
        }

        if (failed)
        {
            Interlocked.Increment(ref _errors);
        }

        // Last, so a reader that sees the request also sees its error and latency.
        Interlocked.Increment(ref _requests);
    }

    /// <summary>
    /// Counts requests still unanswered past the migration's threshold as requests and errors
    /// now, though they have not finished: a hung backend is judged at once, not at its timeout.
    /// Returns how many were counted.
    /// </summary>
    public long CountUnanswered(long throughSecond)
    {
        var unanswered = _unanswered.Sweep(throughSecond);
        if (unanswered > 0)
        {
            Interlocked.Add(ref _errors, unanswered);
            Interlocked.Add(ref _unansweredOpen, unanswered);

            // Last, as in Record.
            Interlocked.Add(ref _requests, unanswered);
        }

        return unanswered;
    }

    /// <summary>
    /// Counts one finished call that was not timed: an in-process SDK's call in <c>legacy</c> mode,
    /// where nothing is compared and two clock reads would cost more than the rest of the call, so
    /// the migration's traffic shows (a plan's <c>metrics-flowing</c> check needs it) without a latency.
    /// </summary>
    public void Count(bool failed)
    {
        if (failed)
        {
            Interlocked.Increment(ref _errors);
        }

        Interlocked.Increment(ref _started);

        // Last, as in Record.
        Interlocked.Increment(ref _requests);
    }

    /// <summary>
    /// Counts requests that finished elsewhere: the deltas an application's in-process SDK reports
    /// for a code-level migration, which the orchestrator judges like proxied traffic.
    /// </summary>
    public void Add(long requests, long errors, HistogramSnapshot latency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        ArgumentOutOfRangeException.ThrowIfNegative(errors);
        _latency.Add(latency);
        Interlocked.Add(ref _errors, errors);
        Interlocked.Add(ref _started, requests);

        // Last, as in Record.
        Interlocked.Add(ref _requests, requests);
    }
}
