using System.Net;
using Cutover.Core.Routing;

namespace Cutover.Server.Outbound;

/// <summary>
/// The HTTP version and version policy each <see cref="BackendProtocol"/> asks of the outbound
/// client: the one place the data plane, shadow copies, noise probes, health checks and smoke
/// steps take them from, so a side is spoken to the same way by all of them.
/// </summary>
internal static class BackendVersions
{
    /// <summary>
    /// The version and policy of <paramref name="protocol"/>. Auto asks for HTTP/2 or lower: over
    /// https ALPN settles it, over http the client speaks HTTP/1.1, since HTTP/2 in the clear is
    /// only ever tried when it is the exact version asked for.
    /// </summary>
    public static (Version Version, HttpVersionPolicy Policy) Of(BackendProtocol protocol) => protocol switch
    {
        BackendProtocol.Http1 => (HttpVersion.Version11, HttpVersionPolicy.RequestVersionExact),
        BackendProtocol.H2 or BackendProtocol.H2c => (HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact),
        _ => (HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower),
    };

    /// <summary>Sets <paramref name="request"/>'s version and policy for <paramref name="protocol"/>.</summary>
    public static HttpRequestMessage Speaking(this HttpRequestMessage request, BackendProtocol protocol)
    {
        (request.Version, request.VersionPolicy) = Of(protocol);
        return request;
    }
}
