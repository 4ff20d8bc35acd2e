using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>promote, pause, resume, abort and retry against a real Cutover whose migration has a plan.</summary>
public sealed class PlanCommandTests : IAsyncLifetime
{
    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var backend = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        _cutover = await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: / }
                legacy: {{backend.Urls.First()}}
                candidate: {{backend.Urls.First()}}
                plan:
                  steps:
                    - weight: 10
                    - pause: { duration: 1h }
                    - weight: 100
              - name: billing
                match: { pathPrefix: /billing }
                legacy: {{backend.Urls.First()}}
                candidate: {{backend.Urls.First()}}
            """, backend);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public async Task Promote_WithoutTraffic_RefusesNamingTheFailedCheck()
    {
        var run = await CliRun.RunAsync("promote", "orders", "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("metrics-flowing", run.Error, StringComparison.Ordinal);
        Assert.Contains("--force", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteForce_PauseResumeAbort_PrintThePlanAndAreAudited()
    {
        var start = await CliRun.RunAsync("promote", "orders", "--force", "-r", "no traffic yet", "--actor", "alice", "--admin", _cutover.Admin);
        var pause = await CliRun.RunAsync("pause", "orders", "-r", "lunch", "--actor", "bob", "--admin", _cutover.Admin);
        var resume = await CliRun.RunAsync("resume", "orders", "--actor", "bob", "--admin", _cutover.Admin);
        var abort = await CliRun.RunAsync("abort", "orders", "-r", "doing it by hand", "--actor", "bob", "--admin", _cutover.Admin);

        Assert.Equal(0, start.ExitCode);
        Assert.StartsWith("orders: mode canary, weight 10% (version 2); plan running, step 1/3: weight 10", start.Out.Trim());
        // Without gates the weight step is done at the orchestrator's next look, so the pause may find the plan at either step.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(pause.Out, @"plan paused, step [12]/3: (weight 10|pause 1h) \(paused by local \(on behalf of bob\): lunch\)"), pause.Out);
        Assert.Matches("plan running, step [12]/3", resume.Out);
        Assert.Contains("plan aborted", abort.Out, StringComparison.Ordinal);
        var audit = await CliRun.RunAsync("audit", "orders", "--json", "--admin", _cutover.Admin);
        var rows = JsonDocument.Parse(audit.Out).RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("action").GetString(), r.GetProperty("actor").GetString()))
            .Where(r => r.Item1 != "step")
            .ToList();
        Assert.Equal([("abort", "local (on behalf of bob)"), ("resume", "local (on behalf of bob)"), ("pause", "local (on behalf of bob)"), ("start --force", "local (on behalf of alice)"), ("seed", "cutover")], rows);
    }

    [Fact]
    public async Task Resume_OfARunningPlan_FailsSayingWhatToDo()
    {
        await CliRun.RunAsync("promote", "orders", "--force", "--admin", _cutover.Admin);

        var run = await CliRun.RunAsync("resume", "orders", "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Cannot resume 'orders': its plan is running", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_OfAMigrationWithoutPlan_SaysHowToAddOne()
    {
        var run = await CliRun.RunAsync("promote", "billing", "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Migration 'billing' has no plan; add a 'plan' section", run.Error, StringComparison.Ordinal);
    }
}
