using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Outbound;

/// <summary>
/// The outbound client the data plane, its shadow copies and smoke steps share across
/// migrations: connection pools are per backend address anyway, and one handler keeps pooled
/// connections warm across config changes. A backend with a <c>tls</c> section gets a client of
/// its own settings (<see cref="BackendClients"/>), made the same way.
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
    public static HttpMessageInvoker Create(bool traced, BackendTls? tls = null) => new(new SocketsHttpHandler
    {
        SslOptions = TlsOptions(tls),
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = traced ? new ReverseProxyPropagator(DistributedContextPropagator.Current) : null,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    });

    /// <summary>
    /// The TLS client options of <paramref name="tls"/> (the system's trust when null): its CAs as the only roots (the host name and
    /// validity are still checked, by the same chain policy the system's trust uses), its client
    /// certificate sent with its chain whenever the backend asks, or no check at all.
    /// </summary>
    public static SslClientAuthenticationOptions TlsOptions(BackendTls? tls)
    {
        var options = new SslClientAuthenticationOptions();
        if (tls is null)
        {
            return options;
        }

        if (tls.InsecureSkipVerify)
        {
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (tls.Authorities is { } authorities)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(authorities);
            options.CertificateChainPolicy = policy;
        }

        if (tls.ClientCertificate is { } client)
        {
            options.ClientCertificateContext = SslStreamCertificateContext.Create(client.Certificate, client.Chain, offline: true);
        }

        return options;
    }
}
