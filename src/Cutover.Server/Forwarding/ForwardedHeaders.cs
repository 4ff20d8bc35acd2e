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
    public bool Trusts(HttpContext context) => trustedProxies.Count > 0 && Peer(context) is { } peer && IsTrusted(peer);

    /// <summary>
    /// The client's address, for deciding what the client may do (a route override's networks):
    /// the connection's; after a trusted proxy, the nearest address of its X-Forwarded-For chain
    /// that is not a trusted proxy itself. Null when unknown, or when the chain holds something
    /// other than an address: a client that cannot be told is not let in.
    /// </summary>
    public IPAddress? ClientOf(HttpContext context)
    {
        var client = Peer(context);
        if (client is null || !Trusts(context))
        {
            return client;
        }

        var chain = context.Request.Headers[For];
        for (var line = chain.Count - 1; line >= 0; line--)
        {
            var entries = (chain[line] ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                if (!IPAddress.TryParse(entries[i].Trim('[', ']'), out var address))
                {
                    return null;
                }

                client = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
                if (!IsTrusted(client))
                {
                    return client;
                }
            }
        }

        return client;
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
        if (ForOf(context, trusted) is { } chain)
        {
            yield return new(For, chain);
        }

        if (ProtoOf(context, trusted) is { } proto)
        {
            yield return new(Proto, proto);
        }

        if (HostOf(context, trusted) is { } host)
        {
            yield return new(Host, host);
        }
    }

    // The three values one by one, so the request path writes them without an enumerator: null where Cutover writes none.

    /// <summary>X-Forwarded-For: the connection's address, appended to a trusted proxy's chain.</summary>
    public static string? ForOf(HttpContext context, bool trusted)
    {
        if (Peer(context) is not { } peer)
        {
            return null;
        }

        var text = peer.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{peer}]" : peer.ToString();
        var prior = trusted ? context.Request.Headers[For] : default;
        return prior.Count == 0 ? text : $"{prior}, {text}";
    }

    /// <summary>X-Forwarded-Proto: the request's scheme, unless a trusted proxy sent one.</summary>
    public static string? ProtoOf(HttpContext context, bool trusted) =>
        !trusted || !context.Request.Headers.ContainsKey(Proto) ? context.Request.Scheme : null;

    /// <summary>X-Forwarded-Host: the request's Host, when it has one and a trusted proxy sent none.</summary>
    public static string? HostOf(HttpContext context, bool trusted) =>
        context.Request.Host.HasValue && (!trusted || !context.Request.Headers.ContainsKey(Host)) ? context.Request.Host.Value : null;

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in trustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress? Peer(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : context.Connection.RemoteIpAddress;
}
