using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;

namespace Cutover.Server.Tests.Metrics;

/// <summary>
/// A migration's <c>errors</c> section decides what its metrics count as an error, seen through
/// <c>GET /api/migrations/{name}/metrics</c> and the failure report, with real backends behind a real proxy.
/// What the user gets never changes: only what is counted.
/// </summary>
public sealed class ErrorClassesTests
{
    [Fact]
    public async Task Errors_Listed429AndUnlisted404_CountsThe429AsAnErrorAndNotThe404()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: """errors: { statuses: ["5xx", 429] }"""));

        foreach (var status in new[] { 200, 404, 429, 503 })
        {
            using var response = await proxy.Proxy.GetAsync($"/status/{status}");
            Assert.Equal(status, (int)response.StatusCode);
        }

        var candidate = (await MetricsAsync(proxy)).Candidate;
        Assert.Equal((4L, 2L, 0.5), (candidate.Requests, candidate.Errors, candidate.ErrorRate));
    }

    [Fact]
    public async Task Errors_TimeoutsNotCounted_SilentCandidateStillGives504ButIsNotCounted()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: "errors: { timeouts: false }\n    timeouts: { candidate: 300ms }"));

        using var silent = await proxy.Proxy.GetAsync("/slow?ms=5000");
        using var failing = await proxy.Proxy.GetAsync("/status/500");

        Assert.Equal(HttpStatusCode.GatewayTimeout, silent.StatusCode);
        Assert.Equal("https://cutover.dev/problems/backend-timeout", (await silent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        var candidate = (await MetricsAsync(proxy)).Candidate;
        Assert.Equal((2L, 1L), (candidate.Requests, candidate.Errors));
    }

    [Fact]
    public async Task Errors_ConnectionFailuresNotCounted_RefusedConnectionStillGives502ButABackendsOwn502Counts()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: {backends.Legacy.Url}
                candidate: http://127.0.0.1:{LoopbackPorts.Refusing()}
                mode: candidate
                errors: {"{"} connectionFailures: false {"}"}
            """);

        using var refused = await proxy.Proxy.GetAsync("/orders/1");
        await proxy.PostAsync("orders", "mode", new { mode = "legacy" });
        using var ownBadGateway = await proxy.Proxy.GetAsync("/status/502");

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal("candidate", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("side").GetString());
        Assert.Equal(HttpStatusCode.BadGateway, ownBadGateway.StatusCode);
        var metrics = await MetricsAsync(proxy);
        Assert.Equal((1L, 0L), (metrics.Candidate.Requests, metrics.Candidate.Errors));
        Assert.Equal((1L, 1L), (metrics.Legacy.Requests, metrics.Legacy.Errors));
    }

    [Fact]
    public async Task Errors_ByDefault_503AndARefusedConnectionCountAndTheReportSaysWhy()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: {legacy.Url}
                candidate: http://127.0.0.1:{LoopbackPorts.Refusing()}
            """);

        using var unavailable = await proxy.Proxy.GetAsync("/status/503");
        using var tooMany = await proxy.Proxy.GetAsync("/status/429");
        await proxy.PostAsync("orders", "mode", new { mode = "candidate" });
        using var refused = await proxy.Proxy.GetAsync("/orders/7");

        var metrics = await MetricsAsync(proxy);
        Assert.Equal((2L, 1L), (metrics.Legacy.Requests, metrics.Legacy.Errors));
        Assert.Equal((1L, 1L), (metrics.Candidate.Requests, metrics.Candidate.Errors));
        await proxy.PostAsync("orders", "rollback", new { reason = "candidate unreachable" });
        var report = (await proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/report"))!;
        var recent = report.GetProperty("recentErrors").EnumerateArray()
            .Select(e => (e.GetProperty("side").GetString(), e.GetProperty("request").GetString(), e.GetProperty("status").GetInt32(), e.GetProperty("cause").GetString()))
            .ToList();
        Assert.Equal([("candidate", "GET /orders/7", 502, "connectionFailure"), ("legacy", "GET /status/503", 503, "status")], recent);
    }

    [Fact]
    public async Task Errors_TimeoutCountedByDefault_IsReportedAsATimeout()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: "timeouts: { candidate: 300ms }"));

        using var silent = await proxy.Proxy.GetAsync("/slow?ms=5000");

        Assert.Equal(HttpStatusCode.GatewayTimeout, silent.StatusCode);
        Assert.Equal(1, (await MetricsAsync(proxy)).Candidate.Errors);
        await proxy.PostAsync("orders", "rollback", new { reason = "too slow" });
        var report = (await proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/report"))!;
        var error = Assert.Single(report.GetProperty("recentErrors").EnumerateArray());
        Assert.Equal((504, "timeout"), (error.GetProperty("status").GetInt32(), error.GetProperty("cause").GetString()));
    }

    [Fact]
    public async Task Errors_ClientHangingUpBeforeTheAnswer_IsARequestButNeverAnError()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: "errors: { statuses: [1xx, 2xx, 3xx, 4xx, 5xx] }"));
        using var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => proxy.Proxy.GetAsync("/slow?ms=5000", hangUp.Token));

        var candidate = (await MetricsAsync(proxy)).Candidate;
        for (var waited = 0; candidate.Requests == 0 && waited < 100; waited++)
        {
            await Task.Delay(50);
            candidate = (await MetricsAsync(proxy)).Candidate;
        }

        Assert.Equal((1L, 0L), (candidate.Requests, candidate.Errors));
    }

    private static async Task<MetricsView> MetricsAsync(ProxyUnderTest proxy) =>
        (await proxy.Admin.GetFromJsonAsync<MetricsView>("/api/migrations/orders/metrics?window=1m"))!;
}
