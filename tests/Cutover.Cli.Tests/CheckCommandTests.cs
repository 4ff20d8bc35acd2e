using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary><c>cutover check</c> against a real Cutover whose candidate is healthy or not.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_EverythingHealthyWithTraffic_PrintsEachCheckAndExits0()
    {
        await using var cutover = await StartAsync(candidateHealth: StatusCodes.Status200OK);
        await SendRequestAsync(cutover);

        var run = await CliRun.RunAsync("check", "orders", "--admin", cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Matches(@"CHECK\s+RESULT\s+DETAIL\s+TIME", run.Out);
        Assert.Matches(@"health-legacy\s+pass\s+GET http://127\.0\.0\.1:\d+/healthz answered 200 OK\s+[\d.]+ ms", run.Out);
        Assert.Matches(@"health-candidate\s+pass\s+GET http://127\.0\.0\.1:\d+/healthz answered 200 OK", run.Out);
        Assert.Matches(@"rollback-path\s+pass\s+Mode canary and legacy answers", run.Out);
        Assert.Matches(@"metrics-flowing\s+pass\s+1 request in the last 5m", run.Out);
        Assert.Matches(@"orders: all 4 checks passed \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.", run.Out);
    }

    [Fact]
    public async Task Check_CandidateUnhealthy_MarksTheFailedCheckAndExits4()
    {
        await using var cutover = await StartAsync(candidateHealth: StatusCodes.Status503ServiceUnavailable);
        await SendRequestAsync(cutover);

        var run = await CliRun.RunAsync("check", "orders", "--admin", cutover.Admin);

        Assert.Equal(4, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Matches(@"health-candidate\s+FAIL\s+GET http://127\.0\.0\.1:\d+/healthz answered 503 Service", run.Out);
        Assert.Matches(@"health-legacy\s+pass", run.Out);
        Assert.Contains("orders: 1 of 4 checks failed: health-candidate (", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckJson_PrintsTheReportAndExits4WhenAnyCheckFails()
    {
        await using var cutover = await StartAsync(candidateHealth: StatusCodes.Status200OK);

        var run = await CliRun.RunAsync("check", "orders", "--json", "--admin", cutover.Admin);

        Assert.Equal(4, run.ExitCode);
        var report = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("orders", report.GetProperty("migration").GetString());
        Assert.False(report.GetProperty("passed").GetBoolean());
        var checks = report.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["health-legacy", "health-candidate", "rollback-path", "metrics-flowing"], checks.Select(c => c.GetProperty("name").GetString()));
        var metrics = checks[3];
        Assert.False(metrics.GetProperty("passed").GetBoolean());
        Assert.StartsWith("No requests reached migration 'orders'", metrics.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(metrics.GetProperty("durationMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task Check_UnknownMigration_Exits1WithTheApisMessage()
    {
        await using var cutover = await StartAsync(candidateHealth: StatusCodes.Status200OK);

        var run = await CliRun.RunAsync("check", "nope", "--admin", cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: There is no migration named 'nope'. Known migrations: orders.", run.Error.Trim());
    }

    [Fact]
    public async Task Check_WithoutAName_IsAParseError()
    {
        var run = await CliRun.RunAsync("check");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Run 'cutover check --help' for usage.", run.Error, StringComparison.Ordinal);
    }

    /// <summary>Cutover with migration 'orders' in canary at 10% (as the other CLI tests), whose candidate's /healthz answers <paramref name="candidateHealth"/>.</summary>
    private static async Task<RunningCutover> StartAsync(int candidateHealth)
    {
        var legacy = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("legacy"));
        var candidate = await LoopbackBackend.StartAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/healthz" ? candidateHealth : StatusCodes.Status200OK;
            return context.Response.WriteAsync("candidate");
        });
        return await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: / }
                legacy: {{legacy.Urls.First()}}
                candidate: {{candidate.Urls.First()}}
                mode: canary
                weight: 0
                checks:
                  health: { legacy: /healthz, candidate: /healthz }
                  timeout: 2s
            """, legacy, candidate);
    }

    private static async Task SendRequestAsync(RunningCutover cutover)
    {
        using var proxy = new HttpClient { BaseAddress = cutover.Host.DataPlaneAddress };
        using var response = await proxy.GetAsync("/orders/1");
        response.EnsureSuccessStatusCode();
    }
}
