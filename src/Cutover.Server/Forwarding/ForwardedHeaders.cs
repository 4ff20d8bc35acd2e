using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The X-Forwarded-For/Proto/Host values a request is sent on with, so a backend behind Cutover
/// still sees the real client; one rule for forwarded requests and their shadow copies alike.
/// </summary>
internal static class ForwardedHeaders
{
    public const string For = "X-Forwarded-For";
    public const string Proto = "X-Forwarded-Proto";
    public const string Host = "X-Forwarded-Host";

    /// <summary>The client chain: what earlier proxies reported, then this request's peer.</summary>
    public static string? ForOf(HttpContext context)
    {
        var client = context.Connection.RemoteIpAddress;
        if (client is null)
        {
            return null;
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        var text = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var prior = context.Request.Headers[For];
        return prior.Count == 0 ? text : $"{prior}, {text}";
    }

    /// <summary>The three headers with their values for this request; Host only when the request named one.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Of(HttpContext context)
    {
        if (ForOf(context) is { } chain)
        {
            yield return new(For, chain);
        }

        yield return new(Proto, context.Request.Scheme);
        if (context.Request.Host.HasValue)
        {
            yield return new(Host, context.Request.Host.Value);
        }
    }
}
