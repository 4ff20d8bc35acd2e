using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The one outbound client the data plane shares across migrations: connection pools are per
/// backend address anyway, and one handler keeps pooled connections warm across config changes.
/// Settings follow YARP's guidance for a forwarder: no proxy, no redirects, no decompression, no
/// cookie container, no tracing headers of its own.
/// </summary>
internal static class BackendClient
{
    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    });
}
