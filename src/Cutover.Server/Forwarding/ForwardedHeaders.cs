using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Forwarding;

/// <summary>
/// What a request tells its backend about the client, one rule for forwarded requests and their
/// shadow copies alike. A client's own claims about itself (Forwarded, X-Real-IP and every
/// X-Forwarded-* header) are dropped, since anyone can write them, and Cutover writes
/// X-Forwarded-For (the connection's address), X-Forwarded-Proto and X-Forwarded-Host. A request
/// from a trusted proxy (<c>trustedProxies</c>) keeps them all: its X-Forwarded-For gets the
/// proxy's address appended, and Proto and Host are written only when the proxy sent none.
/// </summary>
internal sealed class ForwardedHeaders(IReadOnlyList<IPNetwork> trustedProxies)
{
    public const string For = "X-Forwarded-For";
    public const string Proto = "X-Forwarded-Proto";
    public const string Host = "X-Forwarded-Host";

    /// <summary>Whether the request came straight from a trusted proxy, whose claims are kept.</summary>
    public bool Trusts(HttpContext context)
    {
        if (trustedProxies.Count == 0 || Peer(context) is not { } peer)
        {
            return false;
        }

        foreach (var network in trustedProxies)
        {
            if (network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a header is one in which a client speaks about itself or the way it came: Forwarded, X-Real-IP and every X-Forwarded-*.</summary>
    public static bool IsClaim(string name) =>
        name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "Forwarded", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "X-Real-IP", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the request reached Cutover over HTTPS, by the connection or, after a trusted proxy, by its X-Forwarded-Proto.</summary>
    public bool IsHttps(HttpContext context) =>
        context.Request.IsHttps || (Trusts(context) && string.Equals(context.Request.Headers[Proto], "https", StringComparison.OrdinalIgnoreCase));

    /// <summary>The headers Cutover writes, replacing any of the same name; after a trusted proxy, only those it did not send (and For, appended to).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Of(HttpContext context, bool trusted)
    {
        var request = context.Request;
        if (Peer(context) is { } peer)
        {
            var text = peer.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{peer}]" : peer.ToString();
            var prior = trusted ? request.Headers[For] : default;
            yield return new(For, prior.Count == 0 ? text : $"{prior}, {text}");
        }

        if (!trusted || !request.Headers.ContainsKey(Proto))
        {
            yield return new(Proto, request.Scheme);
        }

        if (request.Host.HasValue && (!trusted || !request.Headers.ContainsKey(Host)))
        {
            yield return new(Host, request.Host.Value);
        }
    }

    private static IPAddress? Peer(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : context.Connection.RemoteIpAddress;
}
