using System.Net;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The one outbound client the data plane, its shadow copies and smoke steps share across
/// migrations: connection pools are per backend address anyway, and one handler keeps pooled
/// connections warm across config changes.
/// Settings follow YARP's guidance for a forwarder: no proxy, no redirects, no decompression, no
/// cookie container. Trace headers (traceparent, tracestate) pass through as the client sent
/// them: Cutover records no spans of its own, and a propagator would swap in a parent span id
/// that no tracer ever exports, leaving the backend's spans orphaned in the trace.
/// </summary>
internal static class BackendClient
{
    /// <summary>The key the one client is registered under, so it never meets an application's own <see cref="HttpMessageInvoker"/>.</summary>
    public const string Key = "Cutover.Backends";

    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    });
}
