using System.Net;

namespace Cutover.Core.Security;

/// <summary>Whether an address can be reached only from this machine, which decides whether the admin API may run without tokens.</summary>
public static class LoopbackAddress
{
    /// <summary>Whether <paramref name="address"/> listens on loopback only: <c>localhost</c>, 127.0.0.0/8 or ::1; a wildcard or any other host is not.</summary>
    public static bool Is(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IsHost(address.IdnHost);
    }

    /// <summary>Whether a host name (as in a URL or a <c>Host</c> header, IPv6 with or without brackets) names this machine's loopback.</summary>
    public static bool IsHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip));
    }
}
