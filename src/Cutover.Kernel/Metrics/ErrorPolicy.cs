namespace Cutover.Kernel.Metrics;

/// <summary>
/// What counts as an error in a migration's metrics: which statuses, and whether a connection
/// failure or a timeout does. Every request is classified on the request path, so the statuses
/// are a bitmap over 100..599 built once: a lookup is a shift and a mask, with no lock and no
/// allocation. A status outside 100..599, which HTTP does not define, always counts.
/// Equal policies count the same requests, however they were written (<c>5xx</c> or <c>500-599</c>).
/// </summary>
public sealed class ErrorPolicy : IEquatable<ErrorPolicy>
{
    private const int Span = StatusRange.Highest - StatusRange.Lowest + 1;

    private readonly ulong[] _statuses = new ulong[(Span + 63) / 64];

    /// <summary>
    /// Creates a policy counting <paramref name="statuses"/> and, when asked, connection failures
    /// and timeouts; with timeouts, a request unanswered after <paramref name="unansweredAfter"/>
    /// (<see cref="DefaultUnansweredAfter"/> unless given) counts as one from that moment.
    /// </summary>
    public ErrorPolicy(IEnumerable<StatusRange> statuses, bool connectionFailures, bool timeouts, TimeSpan? unansweredAfter = null)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var range in statuses)
        {
            if (range.From < StatusRange.Lowest || range.To > StatusRange.Highest || range.From > range.To)
            {
                throw new ArgumentOutOfRangeException(nameof(statuses), range, $"a status range lies within {StatusRange.Lowest}..{StatusRange.Highest}, lowest code first");
            }

            for (var status = range.From; status <= range.To; status++)
            {
                var offset = status - StatusRange.Lowest;
                _statuses[offset >> 6] |= 1UL << offset;
            }
        }

        if (unansweredAfter is { } threshold && (threshold < TimeSpan.FromSeconds(1) || threshold > MaxUnansweredAfter))
        {
            throw new ArgumentOutOfRangeException(nameof(unansweredAfter), threshold, $"lies within 1s..{MaxUnansweredAfter.TotalMinutes:0}m");
        }

        ConnectionFailures = connectionFailures;
        Timeouts = timeouts;
        UnansweredAfter = timeouts ? unansweredAfter ?? DefaultUnansweredAfter : null;
    }

    /// <summary>
    /// How long a request may wait for its answer to begin before it counts as an error when a
    /// migration does not say: 5 seconds. Long enough for an API's slow requests, short enough
    /// that a plan's triggers see a candidate that accepts requests and never answers well
    /// before any timeout a user would sit through.
    /// </summary>
    public static readonly TimeSpan DefaultUnansweredAfter = TimeSpan.FromSeconds(5);

    /// <summary>The longest threshold: unanswered requests are tracked by the second on a wheel of limited span.</summary>
    public static readonly TimeSpan MaxUnansweredAfter = TimeSpan.FromMinutes(5);

    /// <summary>The statuses counted when a migration lists none: 5xx.</summary>
    public static IReadOnlyList<StatusRange> DefaultStatuses { get; } = [StatusRange.Class(5)];

    /// <summary>
    /// The policy of a migration without an <c>errors</c> section: a 5xx, a connection failure or a
    /// timeout, which is what a user would call the backend failing.
    /// </summary>
    public static ErrorPolicy Default { get; } = new(DefaultStatuses, connectionFailures: true, timeouts: true);

    /// <summary>Whether a backend that could not be reached or broke the connection counts as an error.</summary>
    public bool ConnectionFailures { get; }

    /// <summary>Whether a backend silent for longer than its timeout counts as an error.</summary>
    public bool Timeouts { get; }

    /// <summary>
    /// How long after it was sent a request whose answer has not begun counts as an error (and a
    /// request) of its side, before it ends; null when timeouts do not count. The user still
    /// waits for the answer or the side's timeout: only the metrics see it sooner.
    /// </summary>
    public TimeSpan? UnansweredAfter { get; }

    /// <summary>
    /// Why a finished request counts as an error, or <see cref="ErrorCause.None"/>. Only an answer
    /// is judged by its status: after a fault or a client breaking off, the status is the proxy's own.
    /// </summary>
    public ErrorCause Classify(BackendOutcome outcome, int status) => outcome switch
    {
        BackendOutcome.Answered => CountsStatus(status) ? ErrorCause.Status : ErrorCause.None,
        BackendOutcome.ConnectionFailure => ConnectionFailures ? ErrorCause.ConnectionFailure : ErrorCause.None,
        BackendOutcome.Timeout => Timeouts ? ErrorCause.Timeout : ErrorCause.None,
        _ => ErrorCause.None,
    };

    /// <inheritdoc />
    public bool Equals(ErrorPolicy? other) =>
        other is not null && ConnectionFailures == other.ConnectionFailures && Timeouts == other.Timeouts && UnansweredAfter == other.UnansweredAfter && _statuses.AsSpan().SequenceEqual(other._statuses);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ErrorPolicy);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in _statuses)
        {
            hash.Add(word);
        }

        hash.Add(ConnectionFailures);
        hash.Add(Timeouts);
        hash.Add(UnansweredAfter);
        return hash.ToHashCode();
    }

    private bool CountsStatus(int status)
    {
        var offset = (uint)(status - StatusRange.Lowest);
        return offset >= Span || (_statuses[offset >> 6] & (1UL << (int)offset)) != 0;
    }
}
