using System.Net;
using System.Net.Sockets;
using Cutover.Core.Notifications;
using Cutover.Server.Notifications;

namespace Cutover.Server.Tests.Notifications;

/// <summary>
/// The check before a webhook connects. Names are resolved by a fake, so a name pointing at a
/// metadata address is refused without any packet leaving the machine; real connections go to
/// loopback listeners only.
/// </summary>
public sealed class WebhookConnectorTests
{
    [Fact]
    public async Task CheckedAddressesAsync_NameResolvingToTheMetadataAddress_IsRefusedSayingWhere()
    {
        var connector = new WebhookConnector(() => new WebhookTargets([], []), (_, _) => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") }));

        var refused = await Assert.ThrowsAsync<WebhookTargetException>(() => connector.CheckedAddressesAsync(new DnsEndPoint("hooks.example.test", 443), default));

        Assert.Equal("hooks.example.test resolves to 169.254.169.254, a link-local address (169.254.0.0/16), where cloud metadata services answer", refused.Message);
    }

    [Fact]
    public async Task CheckedAddressesAsync_AnyRefusedAddressAmongSeveral_RefusesTheName()
    {
        var connector = new WebhookConnector(() => new WebhookTargets([], []), (_, _) => Task.FromResult(new[] { IPAddress.Loopback, IPAddress.Parse("fd00:ec2::254") }));

        var refused = await Assert.ThrowsAsync<WebhookTargetException>(() => connector.CheckedAddressesAsync(new DnsEndPoint("hooks.example.test", 80), default));

        Assert.Equal("hooks.example.test resolves to fd00:ec2::254, a cloud metadata service's address", refused.Message);
    }

    [Fact]
    public async Task CheckedAddressesAsync_AllowedName_GivesTheAddressesItChecked()
    {
        var resolved = new[] { IPAddress.Loopback, IPAddress.IPv6Loopback };
        var connector = new WebhookConnector(() => new WebhookTargets([new Uri("http://127.0.0.1:8081")], []), (_, _) => Task.FromResult(resolved));

        Assert.Same(resolved, await connector.CheckedAddressesAsync(new DnsEndPoint("hooks.example.test", 7000), default));
    }

    [Fact]
    public async Task ConnectAsync_LocalhostOnTheAdminPort_IsRefusedWithoutConnecting()
    {
        using var admin = new TcpListener(IPAddress.Loopback, 0);
        admin.Start();
        var port = ((IPEndPoint)admin.LocalEndpoint).Port;
        var connector = new WebhookConnector(() => new WebhookTargets([new Uri($"http://127.0.0.1:{port}")], []));

        var refused = await Assert.ThrowsAsync<WebhookTargetException>(async () => await connector.ConnectAsync(new DnsEndPoint("localhost", port), default));

        Assert.Matches($"^localhost resolves to (127\\.0\\.0\\.1|::1), Cutover's own admin API \\(port {port}\\)$", refused.Message);
        Assert.False(admin.Pending());
    }

    [Fact]
    public async Task ConnectAsync_LoopbackReceiverOnAnotherPort_Connects()
    {
        using var receiver = new TcpListener(IPAddress.Loopback, 0);
        receiver.Start();
        var connector = new WebhookConnector(() => new WebhookTargets([new Uri("http://127.0.0.1:8081")], []));

        await using var stream = await connector.ConnectAsync(new DnsEndPoint("127.0.0.1", ((IPEndPoint)receiver.LocalEndpoint).Port), default);

        using var accepted = await receiver.AcceptTcpClientAsync();
        Assert.True(accepted.Connected);
    }
}
