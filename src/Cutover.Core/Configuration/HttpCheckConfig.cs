namespace Cutover.Core.Configuration;

/// <summary>
/// One item of <c>checks.http</c> as written: a URL that must answer as expected before traffic
/// moves, for what the backends' own health endpoints do not cover (a database, a queue, a
/// downstream service).
/// </summary>
public sealed record HttpCheckConfig
{
    /// <summary>The check's name, unique within the migration; it names the check in reports.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The absolute URL to GET.</summary>
    public string? Url { get; init; }

    /// <summary>The status the answer must have. The default is any 2xx.</summary>
    public double? ExpectStatus { get; init; }

    /// <summary>How long the check may take, as a duration. The default is the section's <c>timeout</c>.</summary>
    public string? Timeout { get; init; }

    /// <summary>The line the item starts on, for error messages.</summary>
    public int Line { get; init; }
}
