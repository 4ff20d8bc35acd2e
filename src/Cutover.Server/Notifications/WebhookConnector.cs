using System.Net;
using System.Net.Sockets;
using Cutover.Core.Notifications;

namespace Cutover.Server.Notifications;

/// <summary>
/// Opens the connections of the webhooks that do not say <c>allowPrivate: true</c> (the
/// <see cref="SocketsHttpHandler.ConnectCallback"/> of their client). It resolves the receiver's
/// name itself, refuses the whole name when any of its addresses is one <see cref="WebhookTargets"/>
/// refuses, and connects only to the addresses it checked, so a DNS answer cannot change between
/// the check and the connection. A refusal happens before any socket is opened.
/// </summary>
/// <param name="targets">The rule as of now: the admin API's bound addresses are known only once it listens.</param>
/// <param name="resolve">Resolves a host name to its addresses.</param>
internal sealed class WebhookConnector(Func<WebhookTargets> targets, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    /// <summary>Resolves names with the system's resolver.</summary>
    public WebhookConnector(Func<WebhookTargets> targets)
        : this(targets, Dns.GetHostAddressesAsync)
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/> after <see cref="CheckedAddressesAsync"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = await CheckedAddressesAsync(endpoint, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The addresses of <paramref name="endpoint"/>'s host; a <see cref="WebhookTargetException"/> saying which address is what when any is refused.</summary>
    public async Task<IPAddress[]> CheckedAddressesAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host.Trim('[', ']');
        var literal = IPAddress.TryParse(host, out var parsed);
        var addresses = literal ? [parsed!] : await resolve(host, cancellationToken);
        var rule = targets();
        foreach (var address in addresses)
        {
            if (rule.Refusal(address, endpoint.Port) is { } what)
            {
                throw new WebhookTargetException(literal ? $"{address} is {what}" : $"{host} resolves to {address}, {what}");
            }
        }

        return addresses;
    }
}
