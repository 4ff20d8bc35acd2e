using Cutover.Server.Tests.Infrastructure;
using Cutover.Server.Tests.Shadow;

namespace Cutover.Server.Tests.Forwarding;

/// <summary>The backend gets the path and query the client sent, escapes and all, on every way a request leaves Cutover.</summary>
public sealed class RequestTargetTests
{
    public static TheoryData<string, string> Targets => new()
    {
        { "/orders/a%2Fb", "/orders/a%2Fb" },
        { "/orders/a%2fb", "/orders/a%2fb" },
        { "/orders/100%25", "/orders/100%25" },
        { "/orders/a%252Fb", "/orders/a%252Fb" },
        { "/orders/..;/admin", "/orders/..;/admin" },
        { "/orders/@scope%2Fpkg?version=1%2F2&q=a+b%25", "/orders/@scope%2Fpkg?version=1%2F2&q=a+b%25" },
        { "/orders/x/../a%2Fb", "/orders/a%2Fb" },
        { "/orders/x/%2e%2E/a%2Fb/.", "/orders/a%2Fb/" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Forward_TargetAsSent_ReachesTheBackendUnchanged(string sent, string expected)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(prefix: "/orders"));

        Assert.Equal(expected, await RawTargetAsync(proxy, sent));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Forward_ToABackendAddressWithAPath_KeepsTheTargetAfterIt(string sent, string expected)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{"} pathPrefix: /orders {"}"}
                legacy: {backends.Legacy.Url}
                candidate: {backends.Candidate.Url}/v2
                mode: candidate
            """);

        Assert.Equal("/v2" + expected, await RawTargetAsync(proxy, sent));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Fallback_TargetAsSent_ReachesTheBackendUnchanged(string sent, string expected)
    {
        await using var fallback = await TestBackend.StartAsync("fallback");
        await using var proxy = await ProxyUnderTest.StartAsync("  []", fallback: fallback.Url);

        Assert.Equal(expected, await RawTargetAsync(proxy, sent));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task ShadowCopy_TargetAsSent_ReachesTheCandidateAsLegacyGotIt(string sent, string expected)
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, "{}"));
        await using var candidate = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, "{}"));
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));

        using var response = await proxy.Proxy.SendAsync(new HttpRequestMessage(HttpMethod.Get, AsGiven(proxy, sent)));
        await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal(expected, Assert.Single(legacy.Seen).RawTarget);
        Assert.Equal(expected, Assert.Single(candidate.Seen).RawTarget);
    }

    private static async Task<string> RawTargetAsync(ProxyUnderTest proxy, string target)
    {
        using var response = await proxy.Proxy.SendAsync(new HttpRequestMessage(HttpMethod.Get, AsGiven(proxy, target)));
        response.EnsureSuccessStatusCode();
        return Assert.Single(response.Headers.GetValues("X-Raw-Target"));
    }

    /// <summary>The address with its target byte for byte: a plain <see cref="Uri"/> would tidy the escapes before the request is even sent.</summary>
    private static Uri AsGiven(ProxyUnderTest proxy, string target) =>
        new(proxy.Host.DataPlaneAddress.GetLeftPart(UriPartial.Authority) + target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
}
