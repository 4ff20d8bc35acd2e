namespace Cutover.Core.Configuration;

/// <summary>A validated <c>telemetry</c> section: Cutover traces its requests, rollout decisions and backfill batches and exports them, with its metrics, to <paramref name="Otlp"/>.</summary>
/// <param name="Otlp">The collector's OTLP/HTTP base address; the signal paths (/v1/traces, /v1/metrics) are added to it.</param>
public sealed record TelemetryDefinition(Uri Otlp);
