using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cutover.Core.Configuration;

/// <summary>
/// Reads <c>trustedProxies</c>: the networks of the proxies in front of Cutover whose
/// forwarded headers it keeps. Each entry is an IP address (one host) or a CIDR network; a
/// host name is refused, because it could name other machines by the time a request arrives.
/// </summary>
public static class TrustedProxiesValidator
{
    /// <summary>The networks in file order; every bad entry is reported through <paramref name="fail"/> (line, message).</summary>
    public static IReadOnlyList<IPNetwork> Validate(IReadOnlyList<TrustedProxyConfig> entries, Action<int, string> fail)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(fail);
        var networks = new List<IPNetwork>(entries.Count);
        foreach (var entry in entries)
        {
            var (network, problem) = Read(entry.Text.Trim());
            if (problem is null)
            {
                networks.Add(network);
            }
            else
            {
                fail(entry.Line, problem);
            }
        }

        return networks;
    }

    private static (IPNetwork Network, string? Problem) Read(string text)
    {
        const string Fix = "write an IP address (127.0.0.1, ::1) or a CIDR network (10.0.0.0/8, fd00::/8)";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || !IsPlainAddress(addressText, address))
        {
            return (default, slash < 0
                ? $"'{text}' is not an IP address or network; {Fix}; host names are not allowed"
                : $"'{text}' does not start with an IP address; {Fix}");
        }

        var max = MaxPrefix(address);
        if (slash < 0)
        {
            return (new IPNetwork(address, max), null);
        }

        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > max)
        {
            return (default, $"'{text}' has no valid prefix length after '/'; use a whole number from 0 to {max}");
        }

        var network = new IPNetwork(Masked(address, prefix), prefix);
        return network.BaseAddress.Equals(address)
            ? (network, null)
            : (default, $"'{text}' has address bits set past its /{prefix} prefix; write {network} for the network, or {address} alone for one address");
    }

    // IPAddress.TryParse also takes "10" or "10.1" (as 0.0.0.10 and 10.0.0.1); only the usual notation is meant here.
    private static bool IsPlainAddress(string text, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3;

    private static int MaxPrefix(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var kept = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - kept));
        }

        return new IPAddress(bytes);
    }
}
