using System.Net;
using Cutover.Core.Configuration;

namespace Cutover.Core.Tests.Configuration;

public sealed class TrustedProxiesConfigTests
{
    [Fact]
    public void Load_NoTrustedProxies_TrustsNone() =>
        Assert.Empty(ConfigLoader.Load("migrations: []", "cutover.yaml").TrustedProxies);

    [Fact]
    public void Load_AddressesAndNetworks_AreReadInFileOrder()
    {
        var definition = ConfigLoader.Load("trustedProxies: [10.0.0.0/8, 127.0.0.1, '::1', 'fd00::/8', 192.168.1.0/24]\nmigrations: []", "cutover.yaml");

        Assert.Equal(
            [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fd00::/8"), IPNetwork.Parse("192.168.1.0/24")],
            definition.TrustedProxies);
    }

    [Fact]
    public void Load_OneAddressWithoutAList_IsTrusted() =>
        Assert.Equal([IPNetwork.Parse("10.1.2.3/32")], ConfigLoader.Load("trustedProxies: 10.1.2.3\nmigrations: []", "cutover.yaml").TrustedProxies);

    [Fact]
    public void Load_BadEntries_AreEachReportedOnTheirLineWithTheFix()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load("""
            trustedProxies:
              - 10.0.0.0/8
              - lb.internal
              - 10.0.0.1/8
              - 10.0.0.0/33
              - 300.1.2.3/8
              - 10.1
            migrations: []
            """, "cutover.yaml"));

        Assert.Equal(
        [
            "cutover.yaml:3: trustedProxies: 'lb.internal' is not an IP address or network; write an IP address (127.0.0.1, ::1) or a CIDR network (10.0.0.0/8, fd00::/8); host names are not allowed",
            "cutover.yaml:4: trustedProxies: '10.0.0.1/8' has address bits set past its /8 prefix; write 10.0.0.0/8 for the network, or 10.0.0.1 alone for one address",
            "cutover.yaml:5: trustedProxies: '10.0.0.0/33' has no valid prefix length after '/'; use a whole number from 0 to 32",
            "cutover.yaml:6: trustedProxies: '300.1.2.3/8' does not start with an IP address; write an IP address (127.0.0.1, ::1) or a CIDR network (10.0.0.0/8, fd00::/8)",
            "cutover.yaml:7: trustedProxies: '10.1' is not an IP address or network; write an IP address (127.0.0.1, ::1) or a CIDR network (10.0.0.0/8, fd00::/8); host names are not allowed",
        ],
            exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_TrustedProxiesAsAMapping_SaysAListIsExpected()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load("trustedProxies: { lb: 10.0.0.1 }\nmigrations: []", "cutover.yaml"));

        Assert.StartsWith("cutover.yaml:1: trustedProxies: expected a list of values", Assert.Single(exception.Errors).ToString(), StringComparison.Ordinal);
    }
}
