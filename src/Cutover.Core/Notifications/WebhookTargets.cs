using System.Net;
using System.Net.Sockets;

namespace Cutover.Core.Notifications;

/// <summary>
/// Where a webhook may not send unless it says <c>allowPrivate: true</c>: link-local addresses and
/// cloud metadata services, which hand out the machine's credentials to whoever asks, and
/// Cutover's own admin API, which a POST could command. A webhook URL is written by whoever edits
/// the config, and a receiver's name resolves wherever its DNS says, so both the URL
/// (<see cref="Refusal(Uri)"/>, when the config is validated) and every address connected to
/// (<see cref="Refusal(IPAddress, int)"/>, before a delivery connects) are checked.
/// </summary>
public sealed class WebhookTargets
{
    // GCP answers on both names, AWS on instance-data; all of them resolve to a link-local address where the cloud defines them.
    private static readonly HashSet<string> MetadataNames = new(["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"], StringComparer.OrdinalIgnoreCase);

    // AWS's metadata service over IPv6, and Alibaba Cloud's, which is outside the link-local range.
    private static readonly IPAddress[] MetadataAddresses = [IPAddress.Parse("fd00:ec2::254"), IPAddress.Parse("100.100.100.200")];

    private readonly IReadOnlyList<(string Host, int Port)> _admin;
    private readonly Lazy<HashSet<IPAddress>> _machine;

    /// <summary>
    /// Refuses what every webhook must not reach, and the admin API at <paramref name="admin"/>
    /// (addresses with port 0 are not known yet and are skipped). When the admin API listens on
    /// every interface (<c>0.0.0.0</c>, <c>[::]</c>), <paramref name="machine"/>'s addresses on its port
    /// reach it too; validation, which cannot know them, gives none. They are read only then.
    /// </summary>
    public WebhookTargets(IEnumerable<Uri> admin, IEnumerable<IPAddress> machine)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(machine);
        _admin = admin.Where(a => a.Port > 0).Select(a => (HostName(a), a.Port)).Distinct().ToList();
        _machine = new(() => machine.Select(Normal).ToHashSet());
    }

    /// <summary>What a webhook URL points at that it may not, such as "a link-local address (169.254.0.0/16), ..."; null when it may be sent to, as far as its text tells.</summary>
    public string? Refusal(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = HostName(url);
        if (IPAddress.TryParse(host, out var address))
        {
            return Refusal(address, url.Port);
        }

        if (MetadataNames.Contains(host))
        {
            return "a cloud metadata service's name";
        }

        // localhost and its subdomains are loopback by definition (RFC 6761), wherever DNS points.
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return _admin.Any(a => a.Port == url.Port && (loopback || a.Host.Equals(host, StringComparison.OrdinalIgnoreCase))) ? Admin(url.Port) : null;
    }

    /// <summary>What an address a delivery would connect to is, when a webhook may not reach it; null when it may.</summary>
    public string? Refusal(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Normal(address);
        if (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..])
        {
            return "a link-local address (169.254.0.0/16), where cloud metadata services answer";
        }

        if (address.IsIPv6LinkLocal)
        {
            return "a link-local address (fe80::/10)";
        }

        if (MetadataAddresses.Contains(address))
        {
            return "a cloud metadata service's address";
        }

        return _admin.Any(a => a.Port == port && IsAdminHost(a.Host, address)) ? Admin(port) : null;
    }

    private bool IsAdminHost(string adminHost, IPAddress address)
    {
        // Loopback and "any" (which connects to this machine) reach an admin API on this port whatever it is bound to.
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (!IPAddress.TryParse(adminHost, out var bound))
        {
            return false;
        }

        bound = Normal(bound);
        return bound.Equals(address) || ((bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any)) && _machine.Value.Contains(address));
    }

    private static string Admin(int port) => $"Cutover's own admin API (port {port})";

    /// <summary>The host as connected to: IPv6 without brackets or zone, a name without a final dot.</summary>
    private static string HostName(Uri uri) => uri.IdnHost.TrimEnd('.');

    private static IPAddress Normal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        // A zone (fe80::1%eth0) names the interface, not another address.
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
    }
}
