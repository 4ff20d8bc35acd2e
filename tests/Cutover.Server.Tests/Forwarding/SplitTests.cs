using System.Net;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Forwarding;

public class SplitTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public async Task Canary_ManyUsers_SplitCloseToTheWeight(double weight)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: weight));
        const int users = 3000;

        var sides = await Task.WhenAll(Enumerable.Range(0, users).Select(i => proxy.SideOfAsync($"user-{i}")));

        var share = 100.0 * sides.Count(s => s == "candidate") / users;
        Assert.InRange(share, weight - 3, weight + 3);
        Assert.Equal(users, backends.Legacy.Requests + backends.Candidate.Requests);
    }

    [Fact]
    public async Task Canary_SameUser_AlwaysLandsOnTheSameSide()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 50));

        foreach (var user in Enumerable.Range(0, 40).Select(i => $"user-{i}"))
        {
            var first = await proxy.SideOfAsync(user);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(first, await proxy.SideOfAsync(user));
            }
        }
    }

    [Fact]
    public async Task RaisingTheWeight_KeepsCandidateUsersOnTheCandidate()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 10));
        var users = Enumerable.Range(0, 500).Select(i => $"user-{i}").ToList();
        var at10 = await SidesAsync(proxy, users);

        await proxy.PostAsync("orders", "weight", new { weight = 40, reason = "step up" });
        var at40 = await SidesAsync(proxy, users);

        Assert.All(users.Where(u => at10[u] == "candidate"), u => Assert.Equal("candidate", at40[u]));
        Assert.True(at40.Count(s => s.Value == "candidate") > at10.Count(s => s.Value == "candidate"));
    }

    [Fact]
    public async Task Canary_RequestWithoutKey_GetsACookieThatKeepsItOnItsSide()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 50));

        var sides = new List<string>();
        for (var browser = 0; browser < 30; browser++)
        {
            using var first = await proxy.Proxy.GetAsync("/");
            var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith("cutover-id=", cookie, StringComparison.Ordinal);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            var side = await first.Content.ReadAsStringAsync();
            sides.Add(side);

            for (var i = 0; i < 3; i++)
            {
                using var again = new HttpRequestMessage(HttpMethod.Get, "/");
                again.Headers.Add("Cookie", cookie.Split(';')[0]);
                using var response = await proxy.Proxy.SendAsync(again);
                Assert.Equal(side, await response.Content.ReadAsStringAsync());
                Assert.False(response.Headers.Contains("Set-Cookie"));
            }
        }

        Assert.Contains("legacy", sides);
        Assert.Contains("candidate", sides);
    }

    [Fact]
    public async Task Canary_BehindATrustedTlsTerminator_IssuesASecureCookie()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 50), topLevel: "trustedProxies: [127.0.0.1]");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await proxy.Proxy.SendAsync(request);

        Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Canary_AClientClaimingHttpsWithoutTrust_GetsACookieForTheSchemeItUsed()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 50));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await proxy.Proxy.SendAsync(request);

        Assert.DoesNotContain("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("legacy", "legacy")]
    [InlineData("candidate", "candidate")]
    [InlineData("retired", "candidate")]
    public async Task Mode_SendsEveryRequestToItsSide(string mode, string expected)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: mode, weight: 50));

        var sides = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => proxy.SideOfAsync($"user-{i}")));

        Assert.All(sides, side => Assert.Equal(expected, side));
    }

    [Fact]
    public async Task LongestPrefix_WinsOverAShorterOne()
    {
        await using var orders = await Backends.StartAsync();
        await using var archive = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(
            orders.Migration("orders", "/orders") + "\n" + archive.Migration("archive", "/orders/archive", mode: "candidate"));

        Assert.Equal("candidate", await proxy.Proxy.GetStringAsync("/orders/archive/7"));
        Assert.Equal(1, archive.Candidate.Requests);
        Assert.Equal("legacy", await proxy.Proxy.GetStringAsync("/orders/7"));
        Assert.Equal(1, orders.Legacy.Requests);
    }

    [Fact]
    public async Task NoMatch_WithFallback_GoesToTheFallback()
    {
        await using var backends = await Backends.StartAsync();
        await using var fallback = await TestBackend.StartAsync("fallback");
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(prefix: "/orders"), fallback.Url);

        Assert.Equal("fallback", await proxy.Proxy.GetStringAsync("/home"));
    }

    [Fact]
    public async Task NoMatch_WithoutFallback_Is404ProblemDetails()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(prefix: "/orders"));

        using var response = await proxy.Proxy.GetAsync("/home");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No migration matches this request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> SidesAsync(ProxyUnderTest proxy, IEnumerable<string> users)
    {
        var result = new Dictionary<string, string>();
        foreach (var user in users)
        {
            result[user] = await proxy.SideOfAsync(user);
        }

        return result;
    }
}
