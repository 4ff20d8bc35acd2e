namespace Cutover.Core.Configuration;

/// <summary>
/// The <c>failover</c> section of a migration as written: <c>failover: true</c> (every default),
/// <c>false</c> (off, as when the key is left out) or a mapping of the keys below. A request sent
/// to the candidate that fails before any byte of its answer reached the user is replayed to
/// legacy, when it can be replayed, so the user gets legacy's answer instead of an error.
/// </summary>
public sealed record FailoverConfig
{
    /// <summary>Whether failover is on: false only for <c>failover: false</c>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The candidate's answers that are replayed too, as statuses (<c>503</c>), ranges (<c>502-504</c>) or classes (<c>5xx</c>). The default is none.</summary>
    public IReadOnlyList<ErrorStatusConfig>? Statuses { get; init; }

    /// <summary>Whether a gRPC answer with the status UNAVAILABLE in its headers (a trailers-only answer) is replayed too. The default value is false.</summary>
    public bool? GrpcUnavailable { get; init; }

    /// <summary>The largest request body kept so that it can be replayed, in bytes; a larger one is forwarded as a stream and not replayed. The default value is 65536.</summary>
    public double? MaxBodyBytes { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
