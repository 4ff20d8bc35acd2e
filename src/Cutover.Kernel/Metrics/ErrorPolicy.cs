namespace Cutover.Kernel.Metrics;

/// <summary>
/// What counts as an error in a migration's metrics: which statuses, and whether a connection
/// failure or a timeout does. Every request is classified on the request path, so the statuses
/// are a bitmap over 100..599 built once: a lookup is a shift and a mask, with no lock and no
/// allocation. A status outside 100..599, which HTTP does not define, always counts.
/// Equal policies count the same requests, however they were written (<c>5xx</c> or <c>500-599</c>).
/// A gRPC call is judged by its <c>grpc-status</c> (a bitmap over the 17 codes) since its HTTP status is 200 whatever happened.
/// </summary>
public sealed class ErrorPolicy : IEquatable<ErrorPolicy>
{
    private const int Span = StatusRange.Highest - StatusRange.Lowest + 1;

    private readonly ulong[] _statuses = new ulong[(Span + 63) / 64];

    private readonly uint _grpcStatuses;

    /// <summary>
    /// Creates a policy counting <paramref name="statuses"/> and, when asked, connection failures
    /// and timeouts; with timeouts, a request unanswered after <paramref name="unansweredAfter"/>
    /// (<see cref="DefaultUnansweredAfter"/> unless given) counts as one from that moment. A gRPC
    /// call counts when its status is one of <paramref name="grpcStatuses"/> (<see cref="GrpcStatusCodes.DefaultErrors"/> unless given).
    /// </summary>
    public ErrorPolicy(IEnumerable<StatusRange> statuses, bool connectionFailures, bool timeouts, TimeSpan? unansweredAfter = null, IEnumerable<int>? grpcStatuses = null)
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

        foreach (var code in grpcStatuses ?? GrpcStatusCodes.DefaultErrors)
        {
            if (code is < 0 or > GrpcStatusCodes.Highest)
            {
                throw new ArgumentOutOfRangeException(nameof(grpcStatuses), code, $"a gRPC status lies within 0..{GrpcStatusCodes.Highest}");
            }

            _grpcStatuses |= 1U << code;
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

    /// <summary>The gRPC status codes counted as errors, lowest first.</summary>
    public IReadOnlyList<int> GrpcStatuses => [.. Enumerable.Range(0, GrpcStatusCodes.Highest + 1).Where(CountsGrpcStatus)];

    /// <summary>
    /// Why a finished request counts as an error, or <see cref="ErrorCause.None"/>. Only an answer
    /// is judged by its status: after a fault or a client breaking off, the status is the proxy's own.
    /// A gRPC answer (<paramref name="grpcStatus"/> given) is judged by its gRPC status, and by its HTTP status when that is not 200.
    /// </summary>
    public ErrorCause Classify(BackendOutcome outcome, int status, int? grpcStatus = null) => outcome switch
    {
        BackendOutcome.Answered when grpcStatus is { } code && CountsGrpcStatus(code) => ErrorCause.GrpcStatus,
        BackendOutcome.Answered => CountsStatus(status) ? ErrorCause.Status : ErrorCause.None,
        BackendOutcome.ConnectionFailure => ConnectionFailures ? ErrorCause.ConnectionFailure : ErrorCause.None,
        BackendOutcome.Timeout => Timeouts ? ErrorCause.Timeout : ErrorCause.None,
        _ => ErrorCause.None,
    };

    /// <inheritdoc />
    public bool Equals(ErrorPolicy? other) =>
        other is not null && ConnectionFailures == other.ConnectionFailures && Timeouts == other.Timeouts && UnansweredAfter == other.UnansweredAfter && _grpcStatuses == other._grpcStatuses && _statuses.AsSpan().SequenceEqual(other._statuses);

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
        hash.Add(_grpcStatuses);
        return hash.ToHashCode();
    }

    // A code gRPC does not define counts, as an HTTP status outside 100..599 does.
    private bool CountsGrpcStatus(int code) => code is < 0 or > GrpcStatusCodes.Highest || (_grpcStatuses & (1U << code)) != 0;

    private bool CountsStatus(int status)
    {
        var offset = (uint)(status - StatusRange.Lowest);
        return offset >= Span || (_statuses[offset >> 6] & (1UL << (int)offset)) != 0;
    }
}
