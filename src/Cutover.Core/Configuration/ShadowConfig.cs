namespace Cutover.Core.Configuration;

/// <summary>The <c>shadow</c> section of a migration as written: which requests are mirrored to the candidate, and within what limits.</summary>
public sealed record ShadowConfig
{
    /// <summary>The share of eligible requests mirrored, 0..100. The default value is 100.</summary>
    public double? Percent { get; init; }

    /// <summary>The methods mirrored. The default is GET, HEAD and OPTIONS: writes are mirrored only when the file says so.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>The largest request body buffered for a copy, in bytes. The default value is 1 MiB.</summary>
    public double? MaxBodyBytes { get; init; }

    /// <summary>The most of each answer captured for comparison, in bytes. The default value is 4 MiB.</summary>
    public double? MaxResponseBytes { get; init; }

    /// <summary>How long the candidate may take to answer a copy in full, as a duration. The default value is 10s.</summary>
    public string? Timeout { get; init; }

    /// <summary>Whether each copied request is also sent a second time to legacy, to learn noise. The default value is false.</summary>
    public bool? NoiseProbe { get; init; }

    /// <summary>Whether canary mode mirrors the users still on legacy. The default value is false.</summary>
    public bool? AlsoInCanary { get; init; }

    /// <summary>How many copies are sent at once. The default value is 32.</summary>
    public double? Concurrency { get; init; }

    /// <summary>How many copies may wait for a sender; more are dropped and counted. The default value is 1000.</summary>
    public double? QueueSize { get; init; }

    /// <summary>
    /// The most bytes the waiting and in-flight copies may hold together (request bodies, legacy's
    /// captured answers and headers); a copy past it is dropped and counted, so a candidate that
    /// stops answering costs bounded memory however large the answers. The default value is 64 MiB.
    /// </summary>
    public double? MaxQueuedBytes { get; init; }

    /// <summary>What is redacted in everything stored.</summary>
    public RedactConfig? Redact { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}

/// <summary>The <c>shadow.redact</c> section: what is never stored in evidence.</summary>
public sealed record RedactConfig
{
    /// <summary>Header names redacted besides Authorization, Proxy-Authorization, Cookie and Set-Cookie.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>JSON fields redacted: a property name (redacted at any depth, and as a query parameter) or a path such as <c>$.card.number</c>.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];
}
