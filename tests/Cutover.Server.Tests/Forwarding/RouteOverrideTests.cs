using System.Net.Http.Json;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;

namespace Cutover.Server.Tests.Forwarding;

/// <summary>
/// A tester forcing the side of a request with the route override: honoured in every mode but
/// retired, by header or cookie, only from its networks and with its secret; counted apart from
/// the sides, so their counts, gates and triggers judge only the traffic the migration routed.
/// </summary>
public sealed class RouteOverrideTests
{
    private const string Secret = "7d0c61bd1e2f4a3b9c8d";

    [Theory]
    [InlineData("legacy")]
    [InlineData("shadow")]
    [InlineData("canary")]
    public async Task Forward_HeaderAsksForTheCandidateAtWeight0_CandidateServesAndOnlyTheOverridesCountIt(string mode)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: mode, weight: 0, extra: "override: { header: Cutover-Route }"));

        var forced = await ServedByAsync(proxy, "Cutover-Route", "candidate");
        var routed = await ServedByAsync(proxy);

        Assert.Equal("candidate", forced);
        Assert.Equal("legacy", routed);
        var stats = (await proxy.MigrationAsync("orders")).Stats;
        Assert.Equal(1, stats.Overridden.Candidate);
        Assert.Equal(0, stats.Overridden.Legacy);
        Assert.Equal(0, stats.Candidate.Requests);
        Assert.Equal(1, stats.Legacy.Requests);
    }

    [Fact]
    public async Task Forward_CandidateModeHeaderAsksForLegacy_LegacyServes()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: "override: { header: Cutover-Route }"));

        Assert.Equal("legacy", await ServedByAsync(proxy, "Cutover-Route", "Legacy"));
        var stats = (await proxy.MigrationAsync("orders")).Stats;
        Assert.Equal(1, stats.Overridden.Legacy);
        Assert.Equal(0, stats.Legacy.Requests);
    }

    [Fact]
    public async Task Forward_RetiredMigration_IgnoresTheOverrideAndCountsIt()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "retired", extra: "override: { header: Cutover-Route }"));

        Assert.Equal("candidate", await ServedByAsync(proxy, "Cutover-Route", "legacy"));
        Assert.Equal(0, backends.Legacy.Requests);
        var stats = (await proxy.MigrationAsync("orders")).Stats;
        Assert.Equal(1, stats.Overridden.Ignored);
        Assert.Equal(1, stats.Candidate.Requests);
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("")]
    public async Task Forward_ValueNamingNoSide_IsRoutedAsUsualAndCountedAsIgnored(string value)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "legacy", extra: "override: { header: Cutover-Route }"));

        Assert.Equal("legacy", await ServedByAsync(proxy, "Cutover-Route", value));
        var stats = (await proxy.MigrationAsync("orders")).Stats;
        Assert.Equal(1, stats.Overridden.Ignored);
        Assert.Equal(1, stats.Legacy.Requests);
        Assert.Equal(0, stats.Overridden.Legacy + stats.Overridden.Candidate);
    }

    [Fact]
    public async Task Forward_CookieAsksForTheCandidate_CandidateServesAndTheCookieIsForwarded()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 0, extra: "override: { cookie: cutover-route }"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo-headers");
        request.Headers.Add("Cookie", "theme=dark; cutover-route=candidate");
        using var response = await proxy.Proxy.SendAsync(request);
        var seen = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;

        Assert.Equal("candidate", Assert.Single(response.Headers.GetValues("X-Backend")));
        Assert.Equal("theme=dark; cutover-route=candidate", seen["cookie"]);
        Assert.Equal(1, (await proxy.MigrationAsync("orders")).Stats.Overridden.Candidate);
    }

    [Fact]
    public async Task Forward_HeaderAndCookieDisagree_TheHeaderWins()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "legacy", extra: "override: { header: Cutover-Route, cookie: cutover-route }"));

        Assert.Equal("candidate", await ServedByAsync(proxy, ("Cutover-Route", "candidate"), ("Cookie", "cutover-route=legacy")));
    }

    [Fact]
    public async Task Forward_ClientOutsideTheNetworks_IsRoutedAsUsual()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "legacy", extra: "override: { header: Cutover-Route, networks: [10.0.0.0/8] }"));

        // The test client connects from 127.0.0.1; without trustedProxies its X-Forwarded-For is only a claim.
        Assert.Equal("legacy", await ServedByAsync(proxy, "Cutover-Route", "candidate"));
        Assert.Equal("legacy", await ServedByAsync(proxy, ("Cutover-Route", "candidate"), ("X-Forwarded-For", "10.1.2.3")));
        Assert.Equal(2, (await proxy.MigrationAsync("orders")).Stats.Overridden.Ignored);
        Assert.Equal(0, backends.Candidate.Requests);
    }

    [Theory]
    [InlineData("10.1.2.3", "candidate")]
    [InlineData("192.0.2.7", "legacy")]
    [InlineData("10.1.2.3, 192.0.2.7", "legacy")]
    [InlineData("192.0.2.7, 10.1.2.3", "candidate")]
    [InlineData("not-an-address", "legacy")]
    public async Task Forward_BehindATrustedProxy_TheClientItNamesDecides(string forwardedFor, string expected)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(
            backends.Migration(mode: "legacy", extra: "override: { header: Cutover-Route, networks: [10.0.0.0/8] }"), topLevel: "trustedProxies: [127.0.0.1]");

        Assert.Equal(expected, await ServedByAsync(proxy, ("Cutover-Route", "candidate"), ("X-Forwarded-For", forwardedFor)));
    }

    [Theory]
    [InlineData(null, "legacy")]
    [InlineData("wrong-secret-of-some-length", "legacy")]
    [InlineData(Secret, "candidate")]
    public async Task Forward_OverrideWithASecret_OnlyTheSecretForcesTheSide(string? given, string expected)
    {
        var variable = "CUTOVER_TEST_ROUTE_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Secret);
        try
        {
            await using var backends = await Backends.StartAsync();
            await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "legacy", extra: $"override: {{ header: Cutover-Route, secret: 'env:{variable}' }}"));

            (string, string)[] headers = given is null ? [("Cutover-Route", "candidate")] : [("Cutover-Route", "candidate"), ("Cutover-Route-Secret", given)];
            Assert.Equal(expected, await ServedByAsync(proxy, headers));
            var view = await proxy.Admin.GetStringAsync("/api/migrations/orders");
            Assert.Contains("\"override\":\"header Cutover-Route, with the secret\"", view, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, view, StringComparison.Ordinal);
            Assert.Equal(expected == "legacy" ? 1 : 0, (await proxy.MigrationAsync("orders")).Stats.Overridden.Ignored);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("candidate")]
    [InlineData("banana")]
    public async Task Forward_OverrideHeaders_NeverReachTheBackend(string value)
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "legacy", extra: "override: { header: Cutover-Route }"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo-headers");
        request.Headers.Add("Cutover-Route", value);
        request.Headers.Add("Cutover-Route-Secret", Secret);
        using var response = await proxy.Proxy.SendAsync(request);
        var seen = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;

        Assert.DoesNotContain("cutover-route", seen.Keys);
        Assert.DoesNotContain("cutover-route-secret", seen.Keys);
    }

    [Fact]
    public async Task Forward_NoOverrideConfigured_TheHeaderIsAnOrdinaryHeader()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "legacy"));

        Assert.Equal("legacy", await ServedByAsync(proxy, "Cutover-Route", "candidate"));
        Assert.Equal(0, (await proxy.MigrationAsync("orders")).Stats.Overridden.Ignored);
    }

    [Fact]
    public async Task Forward_ShadowModeForcedToLegacy_IsNeverMirrored()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "shadow", extra: "override: { header: Cutover-Route }"));

        Assert.Equal("legacy", await ServedByAsync(proxy, "Cutover-Route", "legacy"));
        Assert.Equal("legacy", await ServedByAsync(proxy));

        // The routed request's copy reaching the candidate shows the shadow path has run; the forced one made none.
        await Eventually.TrueAsync(() => backends.Candidate.Requests >= 1);
        var stats = (await proxy.MigrationAsync("orders")).Stats;
        Assert.Equal(1, stats.Shadow.Mirrored);
        Assert.Equal(1, backends.Candidate.Requests);
        Assert.Equal(1, stats.Overridden.Legacy);
    }

    [Fact]
    public async Task Forward_ForcedToAFailingCandidate_ErrorsCountApartFromTheCandidatesRateAndMetrics()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 0, extra: "override: { header: Cutover-Route }"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/status/503");
        request.Headers.Add("Cutover-Route", "candidate");
        using var response = await proxy.Proxy.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var stats = (await proxy.MigrationAsync("orders")).Stats;
        Assert.Equal(1, stats.Overridden.CandidateErrors);
        Assert.Equal(0, stats.Candidate.Errors);
        var metrics = (await proxy.Admin.GetFromJsonAsync<Cutover.Server.Admin.MetricsView>("/api/migrations/orders/metrics"))!;
        Assert.Equal(0, metrics.Candidate.Requests);
        var prometheus = await proxy.Admin.GetStringAsync("/metrics");
        Assert.Contains("cutover_overridden_requests_total{migration=\"orders\",side=\"candidate\"} 1\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("cutover_overridden_request_errors_total{migration=\"orders\",side=\"candidate\"} 1\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("cutover_requests_total{migration=\"orders\",side=\"candidate\"} 0\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("cutover_override_ignored_total{migration=\"orders\"} 0\n", prometheus, StringComparison.Ordinal);
    }

    private static Task<string> ServedByAsync(ProxyUnderTest proxy, string header, string value) => ServedByAsync(proxy, (header, value));

    /// <summary>Sends GET / with the given headers; the name of the backend that answered.</summary>
    private static async Task<string> ServedByAsync(ProxyUnderTest proxy, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await proxy.Proxy.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return Assert.Single(response.Headers.GetValues("X-Backend"));
    }
}
