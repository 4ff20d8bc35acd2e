using System.Net.Http.Json;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Server.Tests.Shadow;

namespace Cutover.Server.Tests.Forwarding;

/// <summary>
/// What a backend is told about the client: a client's own claims are replaced by Cutover's,
/// a trusted proxy's are kept and appended to, for forwarded requests and shadow copies alike.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static readonly Dictionary<string, string> Spoofed = new()
    {
        ["Forwarded"] = "for=203.0.113.9;proto=https;host=evil.example",
        ["X-Real-IP"] = "203.0.113.9",
        ["X-Forwarded-For"] = "203.0.113.9",
        ["X-Forwarded-Proto"] = "https",
        ["X-Forwarded-Host"] = "evil.example",
        ["X-Forwarded-Prefix"] = "/admin",
        ["X-Forwarded-Port"] = "443",
    };

    [Theory]
    [InlineData("")]
    [InlineData("trustedProxies: [10.0.0.0/8, '::1']")]
    public async Task Forward_FromAnUntrustedClient_ReplacesItsClaimsWithCutoversOwn(string topLevel)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(), topLevel: topLevel);

        var seen = await EchoedHeadersAsync(proxy);

        Assert.Equal("127.0.0.1", seen["x-forwarded-for"]);
        Assert.Equal("http", seen["x-forwarded-proto"]);
        Assert.Equal(proxy.Host.DataPlaneAddress.Authority, seen["x-forwarded-host"]);
        Assert.DoesNotContain("forwarded", seen.Keys);
        Assert.DoesNotContain("x-real-ip", seen.Keys);
        Assert.DoesNotContain("x-forwarded-prefix", seen.Keys);
        Assert.DoesNotContain("x-forwarded-port", seen.Keys);
    }

    [Theory]
    [InlineData("trustedProxies: [127.0.0.1]")]
    [InlineData("trustedProxies: [10.0.0.0/8, 127.0.0.0/8]")]
    public async Task Forward_FromATrustedProxy_KeepsItsHeadersAndAppendsToXForwardedFor(string topLevel)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(), topLevel: topLevel);

        var seen = await EchoedHeadersAsync(proxy);

        Assert.Equal("203.0.113.9, 127.0.0.1", seen["x-forwarded-for"]);
        Assert.Equal("https", seen["x-forwarded-proto"]);
        Assert.Equal("evil.example", seen["x-forwarded-host"]);
        Assert.Equal(Spoofed["Forwarded"], seen["forwarded"]);
        Assert.Equal("203.0.113.9", seen["x-real-ip"]);
        Assert.Equal("/admin", seen["x-forwarded-prefix"]);
        Assert.Equal("443", seen["x-forwarded-port"]);
    }

    [Fact]
    public async Task Forward_FromATrustedProxyThatSentNone_WritesCutoversOwn()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(), topLevel: "trustedProxies: [127.0.0.1]");

        var seen = (await proxy.Proxy.GetFromJsonAsync<Dictionary<string, string>>("/echo-headers"))!;

        Assert.Equal("127.0.0.1", seen["x-forwarded-for"]);
        Assert.Equal("http", seen["x-forwarded-proto"]);
        Assert.Equal(proxy.Host.DataPlaneAddress.Authority, seen["x-forwarded-host"]);
    }

    [Fact]
    public async Task ShadowCopy_FromAnUntrustedClient_CarriesCutoversClaimsAsLegacyGotThem()
    {
        var (legacy, candidate) = await MirroredAsync(topLevel: "");

        foreach (var seen in new[] { legacy, candidate })
        {
            Assert.Equal("127.0.0.1", seen["X-Forwarded-For"]);
            Assert.Equal("http", seen["X-Forwarded-Proto"]);
            Assert.False(seen.ContainsKey("Forwarded"));
            Assert.False(seen.ContainsKey("X-Real-IP"));
            Assert.False(seen.ContainsKey("X-Forwarded-Prefix"));
        }

        Assert.Equal(legacy["X-Forwarded-Host"], candidate["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task ShadowCopy_FromATrustedProxy_CarriesItsHeadersAsLegacyGotThem()
    {
        var (legacy, candidate) = await MirroredAsync(topLevel: "trustedProxies: [127.0.0.1]");

        foreach (var seen in new[] { legacy, candidate })
        {
            Assert.Equal("203.0.113.9, 127.0.0.1", seen["X-Forwarded-For"]);
            Assert.Equal("https", seen["X-Forwarded-Proto"]);
            Assert.Equal("evil.example", seen["X-Forwarded-Host"]);
            Assert.Equal(Spoofed["Forwarded"], seen["Forwarded"]);
            Assert.Equal("203.0.113.9", seen["X-Real-IP"]);
        }
    }

    private static async Task<Dictionary<string, string>> EchoedHeadersAsync(ProxyUnderTest proxy)
    {
        using var request = Spoofing("/echo-headers");
        using var response = await proxy.Proxy.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
    }

    /// <summary>Sends one spoofing request through a shadow migration; the headers legacy got and the headers its copy got.</summary>
    private static async Task<(IReadOnlyDictionary<string, string> Legacy, IReadOnlyDictionary<string, string> Candidate)> MirroredAsync(string topLevel)
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, "{}"));
        await using var candidate = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, "{}"));
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url), topLevel: topLevel);

        using var request = Spoofing("/orders/1");
        using var response = await proxy.Proxy.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await ShadowHarness.SettledAsync(proxy, 1);

        return (Assert.Single(legacy.Seen).Headers, Assert.Single(candidate.Seen).Headers);
    }

    private static HttpRequestMessage Spoofing(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in Spoofed)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
