using Cutover.Kernel.Metrics;

namespace Cutover.Core.Routing;

/// <summary>
/// A migration's validated <c>failover</c> section: which failures of the candidate are replayed
/// to legacy, and how much of a request body is kept so it can be. A failure is replayed only
/// before any byte of the candidate's answer reached the user, and only when the request can be
/// sent again whole: without a body, or with one kept within <see cref="MaxBodyBytes"/>. Equal
/// policies replay the same requests, so <c>cutover apply</c> of the running file finds nothing changed.
/// </summary>
public sealed class FailoverPolicy : IEquatable<FailoverPolicy>
{
    /// <summary>The body kept for a replay when a migration does not say: 64 KiB, more than most API requests and little per request in flight.</summary>
    public const long DefaultMaxBodyBytes = 64 * 1024;

    private readonly StatusRange[] _statuses;

    /// <summary>Creates a policy replaying failures, the answers in <paramref name="statuses"/> and, when asked, a gRPC UNAVAILABLE.</summary>
    public FailoverPolicy(IEnumerable<StatusRange> statuses, bool grpcUnavailable, long maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBodyBytes);
        _statuses = [.. statuses];
        GrpcUnavailable = grpcUnavailable;
        MaxBodyBytes = maxBodyBytes;
    }

    /// <summary>The policy of <c>failover: true</c>: connection failures and timeouts only, bodies up to <see cref="DefaultMaxBodyBytes"/>.</summary>
    public static FailoverPolicy Default { get; } = new([], grpcUnavailable: false, DefaultMaxBodyBytes);

    /// <summary>The candidate's answers replayed to legacy although they arrived; none unless the migration lists some.</summary>
    public IReadOnlyList<StatusRange> Statuses => _statuses;

    /// <summary>Whether a gRPC answer whose headers carry the status UNAVAILABLE (a trailers-only answer) is replayed.</summary>
    public bool GrpcUnavailable { get; }

    /// <summary>The largest request body kept so it can be replayed; a request declaring a larger one is forwarded as before and never replayed.</summary>
    public long MaxBodyBytes { get; }

    /// <summary>Whether some answers of the candidate are replayed too, so its answers must be looked at before they are passed on.</summary>
    public bool RefusesAnswers => _statuses.Length > 0 || GrpcUnavailable;

    /// <summary>Whether an answer of the candidate with <paramref name="status"/> is replayed instead of passed on.</summary>
    public bool Refuses(int status)
    {
        foreach (var range in _statuses)
        {
            if (status >= range.From && status <= range.To)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public bool Equals(FailoverPolicy? other) =>
        other is not null && GrpcUnavailable == other.GrpcUnavailable && MaxBodyBytes == other.MaxBodyBytes
        && Enumerable.Range(StatusRange.Lowest, StatusRange.Highest - StatusRange.Lowest + 1).All(status => Refuses(status) == other.Refuses(status));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FailoverPolicy);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(GrpcUnavailable, MaxBodyBytes);
}
