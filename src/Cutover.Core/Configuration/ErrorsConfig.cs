namespace Cutover.Core.Configuration;

/// <summary>
/// The <c>errors</c> section of a migration as written: what counts as an error in its metrics.
/// A migration whose API answers 429 when it sheds load may count that; one whose clients long-poll
/// may not want a timeout to count.
/// </summary>
public sealed record ErrorsConfig
{
    /// <summary>The statuses counted: classes (5xx), codes (429) and ranges (500-504). The default is 5xx.</summary>
    public IReadOnlyList<ErrorStatusConfig>? Statuses { get; init; }

    /// <summary>The gRPC statuses counted, by name (UNAVAILABLE) or number (14). The default is UNKNOWN, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE and DATA_LOSS.</summary>
    public IReadOnlyList<ErrorStatusConfig>? GrpcStatuses { get; init; }

    /// <summary>Whether a backend that could not be reached, refused or reset the connection counts. The default value is true.</summary>
    public bool? ConnectionFailures { get; init; }

    /// <summary>Whether a backend silent for longer than its timeout counts. The default value is true.</summary>
    public bool? Timeouts { get; init; }

    /// <summary>How long a request may wait for its answer to begin before it counts as an error, as written; the default is 5s.</summary>
    public string? UnansweredAfter { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
