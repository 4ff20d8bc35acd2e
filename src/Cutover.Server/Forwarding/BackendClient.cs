using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The one outbound client the data plane, its shadow copies and smoke steps share across
/// migrations: connection pools are per backend address anyway, and one handler keeps pooled
/// connections warm across config changes.
/// Settings follow YARP's guidance for a forwarder: no proxy, no redirects, no decompression, no
/// cookie container.
/// </summary>
internal static class BackendClient
{
    /// <summary>The key the one client is registered under, so it never meets an application's own <see cref="HttpMessageInvoker"/>.</summary>
    public const string Key = "Cutover.Backends";

    /// <summary>
    /// The client; <paramref name="traced"/> when the host has an OpenTelemetry tracer (a
    /// <c>telemetry</c> section, or an application's own tracing). Then the backend is told
    /// the trace context of Cutover's own span (YARP's propagator replaces the client's traceparent
    /// and tracestate, keeping the trace id), so its spans hang under Cutover's in the trace.
    /// Untraced, trace headers pass through as the client sent them: a propagator would swap in a
    /// parent span id that no tracer ever exports, leaving the backend's spans orphaned, and would
    /// put a diagnostics handler on every request.
    /// </summary>
    public static HttpMessageInvoker Create(bool traced) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = traced ? new ReverseProxyPropagator(DistributedContextPropagator.Current) : null,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    });
}
