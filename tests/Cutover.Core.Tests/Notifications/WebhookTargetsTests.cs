using System.Net;
using Cutover.Core.Notifications;

namespace Cutover.Core.Tests.Notifications;

public sealed class WebhookTargetsTests
{
    private static readonly WebhookTargets AdminOnLoopback = new([new Uri("http://127.0.0.1:8081")], []);

    [Theory]
    [InlineData("169.254.169.254", 80, "a link-local address (169.254.0.0/16), where cloud metadata services answer")]
    [InlineData("169.254.0.1", 443, "a link-local address (169.254.0.0/16), where cloud metadata services answer")]
    [InlineData("::ffff:169.254.169.254", 80, "a link-local address (169.254.0.0/16), where cloud metadata services answer")]
    [InlineData("fe80::1", 80, "a link-local address (fe80::/10)")]
    [InlineData("fe80::a:b%2", 9000, "a link-local address (fe80::/10)")]
    [InlineData("febf::1", 80, "a link-local address (fe80::/10)")]
    [InlineData("fd00:ec2::254", 80, "a cloud metadata service's address")]
    [InlineData("100.100.100.200", 80, "a cloud metadata service's address")]
    [InlineData("127.0.0.1", 8081, "Cutover's own admin API (port 8081)")]
    [InlineData("127.0.0.53", 8081, "Cutover's own admin API (port 8081)")]
    [InlineData("::1", 8081, "Cutover's own admin API (port 8081)")]
    [InlineData("::ffff:127.0.0.1", 8081, "Cutover's own admin API (port 8081)")]
    [InlineData("0.0.0.0", 8081, "Cutover's own admin API (port 8081)")]
    [InlineData("::", 8081, "Cutover's own admin API (port 8081)")]
    public void Refusal_AddressesWebhooksMayNotReach_SayWhatTheyAre(string address, int port, string expected) =>
        Assert.Equal(expected, AdminOnLoopback.Refusal(IPAddress.Parse(address), port));

    [Theory]
    [InlineData("127.0.0.1", 7000)]
    [InlineData("::1", 8082)]
    [InlineData("10.0.0.5", 8081)]
    [InlineData("192.168.1.10", 443)]
    [InlineData("169.255.0.1", 80)]
    [InlineData("fec0::1", 80)]
    [InlineData("fd00:ec2::253", 80)]
    public void Refusal_OtherAddresses_AreAllowed(string address, int port) =>
        Assert.Null(AdminOnLoopback.Refusal(IPAddress.Parse(address), port));

    [Fact]
    public void Refusal_AdminOnEveryInterface_RefusesThisMachinesAddressesOnItsPort()
    {
        var targets = new WebhookTargets([new Uri("http://0.0.0.0:8081"), new Uri("http://[::]:9000")], [IPAddress.Parse("10.1.2.3"), IPAddress.Parse("fd12::3")]);

        Assert.Equal("Cutover's own admin API (port 8081)", targets.Refusal(IPAddress.Parse("10.1.2.3"), 8081));
        Assert.Equal("Cutover's own admin API (port 9000)", targets.Refusal(IPAddress.Parse("fd12::3"), 9000));
        Assert.Null(targets.Refusal(IPAddress.Parse("10.1.2.3"), 8082));
        Assert.Null(targets.Refusal(IPAddress.Parse("10.9.9.9"), 8081));
    }

    [Fact]
    public void Refusal_AdminOnASpecificAddress_RefusesThatAddressAndLoopbackOnItsPort()
    {
        var targets = new WebhookTargets([new Uri("http://10.1.2.3:8081")], [IPAddress.Parse("10.1.2.4")]);

        Assert.NotNull(targets.Refusal(IPAddress.Parse("10.1.2.3"), 8081));
        Assert.NotNull(targets.Refusal(IPAddress.Loopback, 8081));
        Assert.Null(targets.Refusal(IPAddress.Parse("10.1.2.4"), 8081));
    }

    [Fact]
    public void Refusal_AdminPortNotKnownYet_RefusesNoLoopbackPort()
    {
        var targets = new WebhookTargets([new Uri("http://127.0.0.1:0")], []);

        Assert.Null(targets.Refusal(IPAddress.Loopback, 0));
        Assert.Null(targets.Refusal(IPAddress.Loopback, 8081));
    }

    [Theory]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "a cloud metadata service's name")]
    [InlineData("http://Metadata.Goog/", "a cloud metadata service's name")]
    [InlineData("http://metadata/computeMetadata/v1/", "a cloud metadata service's name")]
    [InlineData("http://instance-data.ec2.internal./latest", "a cloud metadata service's name")]
    [InlineData("http://localhost:8081/api", "Cutover's own admin API (port 8081)")]
    [InlineData("http://cutover.localhost:8081/api", "Cutover's own admin API (port 8081)")]
    [InlineData("http://0251.0376.0251.0376/", "a link-local address (169.254.0.0/16), where cloud metadata services answer")]
    [InlineData("http://[fe80::1%25eth0]/", "a link-local address (fe80::/10)")]
    [InlineData("http://localhost:8082/hook", null)]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", null)]
    [InlineData("https://metadata.example.com/hook", null)]
    public void Refusal_Url_ByItsLiteralAddressOrKnownName(string url, string? expected) =>
        Assert.Equal(expected, AdminOnLoopback.Refusal(new Uri(url)));
}
