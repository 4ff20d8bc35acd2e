namespace Cutover.Core.Configuration;

/// <summary>
/// The file's <c>telemetry</c> section as written: where Cutover sends its traces and metrics over
/// OTLP. Without it nothing is exported and tracing costs nothing on the request path.
/// </summary>
public sealed record TelemetryConfig
{
    /// <summary>The OTLP/HTTP endpoint of a collector (e.g. http://127.0.0.1:4318); traces go to its /v1/traces and metrics to its /v1/metrics.</summary>
    public string? Otlp { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
