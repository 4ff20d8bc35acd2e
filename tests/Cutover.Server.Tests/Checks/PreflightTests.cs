using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Checks;
using Cutover.Server.Checks;
using Cutover.Server.Control;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Checks;

/// <summary>Pre-migration checks against real backends on loopback, through the admin API and the runner itself.</summary>
public sealed class PreflightTests
{
    private const string Checks = """
            checks:
              health: { legacy: /healthz, candidate: /healthz }
              timeout: 2s
        """;

    [Fact]
    public async Task Checks_HealthyBackendsAndTraffic_EveryCheckPasses()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(Healthy);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, Checks + $"""

                  http:
                    - name: candidate-db
                      url: {candidate.Url}/health/db
                      expectStatus: 200
            """));
        await SendTrafficAsync(proxy, 3);

        var (status, report) = await ChecksAsync(proxy);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(report.Passed, string.Join("; ", report.Checks.Select(c => $"{c.Name}: {c.Detail}")));
        Assert.Equal("orders", report.Migration);
        Assert.Equal([CheckNames.HealthLegacy, CheckNames.HealthCandidate, CheckNames.RollbackPath, CheckNames.MetricsFlowing, "candidate-db"], report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.True(c.Passed));
        Assert.Equal($"GET {legacy.Url}/healthz answered 200 OK", Detail(report, CheckNames.HealthLegacy));
        Assert.Equal($"GET {candidate.Url}/healthz answered 200 OK", Detail(report, CheckNames.HealthCandidate));
        Assert.Equal("Mode legacy and legacy answers: `cutover rollback orders` can send every user back to legacy.", Detail(report, CheckNames.RollbackPath));
        Assert.Equal("3 requests in the last 5m (legacy 3, candidate 0)", Detail(report, CheckNames.MetricsFlowing));
        Assert.Equal($"GET {candidate.Url}/health/db answered 200 OK", Detail(report, "candidate-db"));
        Assert.Equal("all 5 checks passed", report.Summary());
        Assert.All(report.Checks, c => Assert.InRange(c.DurationMs, 0, 2_000));
    }

    [Fact]
    public async Task Checks_CandidateAnswering503OnItsHealthEndpoint_FailsHealthCandidateOnly()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(context => Answer(context, context.Request.Path == "/healthz" ? 503 : 200));
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, Checks));
        await SendTrafficAsync(proxy, 1);

        var (status, report) = await ChecksAsync(proxy);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(report.Passed);
        Assert.Equal([CheckNames.HealthCandidate], report.Checks.Where(c => !c.Passed).Select(c => c.Name));
        Assert.Equal($"GET {candidate.Url}/healthz answered 503 Service Unavailable, not 2xx: the candidate backend does not report itself healthy", Detail(report, CheckNames.HealthCandidate));
        Assert.Equal("1 of 4 checks failed: health-candidate", report.Summary());
    }

    [Fact]
    public async Task Checks_HangingBackend_FailsItsCheckWithinTheTimeout()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, """
                checks: { health: { legacy: /healthz }, timeout: 300ms }
            """));

        var clock = Stopwatch.StartNew();
        var (_, report) = await ChecksAsync(proxy);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        var check = Assert.Single(report.Checks, c => c.Name == CheckNames.HealthCandidate);
        Assert.False(check.Passed);
        Assert.Equal($"GET {candidate.Url}/ gave no answer within 300ms", check.Detail);
        Assert.InRange(check.DurationMs, 250, 5_000);
        Assert.True(Result(report, CheckNames.HealthLegacy).Passed);
    }

    [Fact]
    public async Task Checks_StoppedLegacyBackend_FailsItsHealthAndTheRollbackPath()
    {
        await using var candidate = await ScriptedBackend.StartAsync(Healthy);
        var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, Checks));
        var legacyUrl = legacy.Url;
        await legacy.DisposeAsync();

        var (status, report) = await ChecksAsync(proxy);

        Assert.Equal(HttpStatusCode.OK, status);
        var health = Result(report, CheckNames.HealthLegacy);
        Assert.False(health.Passed);
        Assert.StartsWith($"GET {legacyUrl}/healthz failed: Connection refused", health.Detail, StringComparison.Ordinal);
        var rollback = Result(report, CheckNames.RollbackPath);
        Assert.False(rollback.Passed);
        Assert.Equal("The legacy backend does not pass health-legacy, so a rollback would send every user to a backend that fails them; bring legacy back before moving traffic.", rollback.Detail);
        Assert.True(Result(report, CheckNames.HealthCandidate).Passed);
    }

    [Fact]
    public async Task Checks_WithoutTraffic_MetricsFlowingFailsForWantOfABaseline()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(Healthy);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, Checks));

        var (_, report) = await ChecksAsync(proxy);

        var metrics = Result(report, CheckNames.MetricsFlowing);
        Assert.False(metrics.Passed);
        Assert.Equal(
            "No requests reached migration 'orders' through any Cutover replica in the last 5m, so a rollout would have no baseline to judge the candidate against; send traffic through the proxy first.",
            metrics.Detail);
        Assert.Equal("1 of 4 checks failed: metrics-flowing", report.Summary());
    }

    [Fact]
    public async Task RunAsync_TrafficOlderThanFiveMinutesOnTheHostsClock_NoLongerCounts()
    {
        var time = new ManualTime();
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(Healthy);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, Checks), options: new CutoverHostOptions { Time = time, LogLevel = LogLevel.Warning });
        await SendTrafficAsync(proxy, 2);
        using var runner = new PreflightRunner(proxy.Host.Control, proxy.Host.Metrics, time);

        time.Advance(TimeSpan.FromMinutes(4));
        var recent = await runner.RunAsync("orders", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        var stale = await runner.RunAsync("orders", CancellationToken.None);

        Assert.True(recent.Passed, recent.Summary());
        Assert.Equal(ManualTime.DefaultStart.AddMinutes(4), recent.Time);
        Assert.Equal("1 of 4 checks failed: metrics-flowing", stale.Summary());
        // The health checks' latencies are real, whatever the host's clock did meanwhile.
        Assert.All(stale.Checks, c => Assert.InRange(c.DurationMs, 0, 2_000));
    }

    [Fact]
    public async Task Checks_CustomCheck_PassesOnItsExpectedStatusOrElseAny2xx()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(context => Answer(context, context.Request.Path.Value switch
        {
            "/maintenance" => 503,
            "/broken" => 500,
            _ => 200,
        }));
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, $"""
                checks:
                  http:
                    - {"{"} name: expects-204, url: "{candidate.Url}/ok", expectStatus: 204 {"}"}
                    - {"{"} name: expects-503, url: "{candidate.Url}/maintenance", expectStatus: 503 {"}"}
                    - {"{"} name: any-2xx, url: "{candidate.Url}/broken" {"}"}
                    - {"{"} name: refused, url: "http://127.0.0.1:{LoopbackPorts.Refusing()}/health", timeout: 1s {"}"}
            """));

        var (_, report) = await ChecksAsync(proxy);

        Assert.Equal($"GET {candidate.Url}/ok answered 200 OK, expected 204", Detail(report, "expects-204"));
        Assert.False(Result(report, "expects-204").Passed);
        Assert.True(Result(report, "expects-503").Passed);
        Assert.Equal($"GET {candidate.Url}/maintenance answered 503 Service Unavailable", Detail(report, "expects-503"));
        Assert.False(Result(report, "any-2xx").Passed);
        Assert.Equal($"GET {candidate.Url}/broken answered 500 Internal Server Error, not 2xx", Detail(report, "any-2xx"));
        Assert.False(Result(report, "refused").Passed);
        Assert.Contains("failed: Connection refused", Detail(report, "refused"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_WithoutAHealthPath_ChecksTheRootAndA404ThereSaysWhichKeyToSet()
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => Answer(context, 404));
        await using var candidate = await ScriptedBackend.StartAsync(Healthy);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, string.Empty));

        var (_, report) = await ChecksAsync(proxy);

        Assert.Equal($"GET {legacy.Url}/ answered 404 Not Found, not 2xx: the legacy backend has no health endpoint at /; set checks.health.legacy to its health path", Detail(report, CheckNames.HealthLegacy));
        Assert.True(Result(report, CheckNames.HealthCandidate).Passed);
        Assert.Equal("/", Assert.Single(candidate.Seen).Target);
    }

    [Fact]
    public async Task Checks_RetiredMigration_HasNoRollbackPath()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(Healthy);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, Checks, mode: "retired"));

        var (_, report) = await ChecksAsync(proxy);

        var rollback = Result(report, CheckNames.RollbackPath);
        Assert.False(rollback.Passed);
        Assert.Equal(
            "Migration 'orders' is retired, where `cutover rollback` is refused, so traffic has no way back to legacy. If the legacy backend still runs, `cutover mode orders candidate` makes a rollback possible again.",
            rollback.Detail);
        Assert.True(Result(report, CheckNames.HealthLegacy).Passed);
    }

    [Fact]
    public async Task Checks_UnknownMigration_Is404FromTheApiAndTheRunner()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Healthy);
        await using var candidate = await ScriptedBackend.StartAsync(Healthy);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy, candidate, Checks));
        using var runner = new PreflightRunner(proxy.Host.Control, proxy.Host.Metrics, TimeProvider.System);

        using var response = await proxy.Admin.GetAsync("/api/migrations/nope/checks");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var exception = await Assert.ThrowsAsync<ControlException>(() => runner.RunAsync("nope", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Unknown migration", problem.GetProperty("title").GetString());
        Assert.Equal("There is no migration named 'nope'. Known migrations: orders.", problem.GetProperty("detail").GetString());
        Assert.Equal(404, exception.Status);
        Assert.Empty(legacy.Seen);
    }

    private static Task Healthy(HttpContext context) => Answer(context, 200);

    private static Task Answer(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Migration(ScriptedBackend legacy, ScriptedBackend candidate, string checks, string mode = "legacy") => $"""
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            legacy: {legacy.Url}
            candidate: {candidate.Url}
            mode: {mode}
        {checks}
        """;

    private static async Task SendTrafficAsync(ProxyUnderTest proxy, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            using var response = await proxy.Proxy.GetAsync($"/orders/{i}");
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<(HttpStatusCode Status, PreflightReport Report)> ChecksAsync(ProxyUnderTest proxy)
    {
        using var response = await proxy.Admin.GetAsync("/api/migrations/orders/checks");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<PreflightReport>())!);
    }

    private static CheckResult Result(PreflightReport report, string name) => Assert.Single(report.Checks, c => c.Name == name);

    private static string Detail(PreflightReport report, string name) => Result(report, name).Detail;
}
