using System.Diagnostics.Metrics;
using Cutover.Core.Configuration;
using Cutover.Core.Telemetry;
using Cutover.Kernel.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cutover.Server.Telemetry;

/// <summary>
/// Registers OpenTelemetry for Cutover when it is asked for: by the config's <c>telemetry</c>
/// section (OTLP export of traces and metrics) or by a host's own trace exporter. Otherwise nothing
/// is registered, no tracer listens, and every Cutover activity is null.
/// </summary>
public static class CutoverTelemetryExtensions
{
    /// <summary>The service name Cutover's traces and metrics are exported under.</summary>
    public const string ServiceName = "cutover";

    // The hosting activity of each request and the client call to the backend, so Cutover's span has
    // an exported parent and the backend's spans an exported one too.
    private static readonly string[] TracedSources = [CutoverActivities.SourceName, "Microsoft.AspNetCore", "System.Net.Http"];

    /// <summary>Whether Cutover traces: a <c>telemetry</c> section or a host's exporter turns it on.</summary>
    internal static bool Traces(TelemetryDefinition? telemetry, Action<TracerProviderBuilder>? tracing) => telemetry is not null || tracing is not null;

    /// <summary>
    /// Adds OpenTelemetry with Cutover's activity source and meter: exported over OTLP/HTTP to
    /// <paramref name="telemetry"/>'s endpoint when given, and to whatever <paramref name="tracing"/>
    /// adds (tests add the in-memory exporter). Registers nothing when both are null. The tracer is
    /// process-wide, so one registration sees the data plane's requests too.
    /// </summary>
    public static IServiceCollection AddCutoverTelemetry(this IServiceCollection services, TelemetryDefinition? telemetry, Action<TracerProviderBuilder>? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Traces(telemetry, tracing))
        {
            return services;
        }

        var openTelemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(traces =>
            {
                traces.AddSource(TracedSources);
                if (telemetry is not null)
                {
                    traces.AddOtlpExporter(otlp => Export(otlp, telemetry.Otlp, "v1/traces"));
                }

                tracing?.Invoke(traces);
            });
        if (telemetry is not null)
        {
            openTelemetry.WithMetrics(metrics => metrics
                .AddInstrumentation(sp => new CutoverMeter(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<MetricsRegistry>()))
                .AddMeter(CutoverActivities.SourceName)
                .AddOtlpExporter(otlp => Export(otlp, telemetry.Otlp, "v1/metrics")));
        }

        return services;
    }

    // An endpoint set in code is used as given for OTLP/HTTP: the signal's path is added here.
    private static void Export(OtlpExporterOptions otlp, Uri collector, string signal)
    {
        otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
        otlp.Endpoint = new Uri(collector.AbsoluteUri.TrimEnd('/') + "/" + signal);
    }
}
