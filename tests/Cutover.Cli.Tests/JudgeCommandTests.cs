using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary><c>cutover judge</c> against a real Cutover whose candidate answers every request with a 500.</summary>
public sealed class JudgeCommandTests : IAsyncLifetime
{
    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var legacy = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var candidate = await LoopbackBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        _cutover = await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: /orders }
                legacy: {{legacy.Urls.First()}}
                candidate: {{candidate.Urls.First()}}
                stickyBy: header:X-User-Id
                plan:
                  steps: [{ weight: 50 }, { pause: {} }]
                  gates: ["candidate.errorRate <= 0.01"]
                  triggers: ["candidate.errorRate > 0.5 for 1h"]
                  minSamples: 10
              - name: billing
                match: { pathPrefix: /billing }
                legacy: {{legacy.Urls.First()}}
                candidate: {{legacy.Urls.First()}}
            """, legacy, candidate);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public async Task Judge_CanaryWithoutTraffic_WaitsNamingTheInconclusiveGate()
    {
        await CliRun.RunAsync("promote", "orders", "--force", "--admin", _cutover.Admin);

        var run = await CliRun.RunAsync("judge", "orders", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(
            ["orders: wait", "  - gate 'candidate.errorRate <= 0.01' is inconclusive: inconclusive: candidate served no requests in the window"],
            lines[..2]);
        Assert.Contains("Latency (Mann-Whitney U): not compared; a side served fewer than minSamples requests in the window.", lines);
        Assert.Contains(lines, line => line.StartsWith("Next: wait;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Judge_TriggerHolds_SaysRollBackWithHowLongItHeld()
    {
        await CliRun.RunAsync("promote", "orders", "--force", "--admin", _cutover.Admin);
        using var client = new HttpClient { BaseAddress = _cutover.Host.DataPlaneAddress };
        for (var user = 0; user < 80; user++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/1");
            request.Headers.Add("X-User-Id", $"u{user}");
            (await client.SendAsync(request)).Dispose();
        }

        var judge = JsonDocument.Parse((await CliRun.RunAsync("judge", "orders", "--json", "--admin", _cutover.Admin)).Out).RootElement;
        var run = await CliRun.RunAsync("judge", "orders", "--admin", _cutover.Admin);

        var decision = judge.GetProperty("decision");
        Assert.Equal("roll-back", decision.GetProperty("verdict").GetString());
        Assert.StartsWith("trigger 'candidate.errorRate > 0.5 for 1h' holds (candidate.errorRate 1 > 0.5), for ", decision.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("orders: roll back\n  - trigger 'candidate.errorRate > 0.5 for 1h' holds", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Next: the plan rolls back by itself when the trigger has held for its time; `cutover rollback orders` does it now.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_PlanNotStarted_ThenRolledBack_SaysWhatThePlanCanStillDo()
    {
        var ready = await CliRun.RunAsync("judge", "orders", "--admin", _cutover.Admin);
        await CliRun.RunAsync("promote", "orders", "--force", "--admin", _cutover.Admin);
        await CliRun.RunAsync("rollback", "orders", "--reason", "by hand", "--admin", _cutover.Admin);
        var rolledBack = await CliRun.RunAsync("judge", "orders", "--admin", _cutover.Admin);
        var json = JsonDocument.Parse((await CliRun.RunAsync("judge", "orders", "--json", "--admin", _cutover.Admin)).Out).RootElement;

        Assert.Contains("Next: the plan has not started; `cutover promote orders` starts it, after its pre-migration checks.", ready.Out, StringComparison.Ordinal);
        Assert.Contains("Next: the plan is rolled-back and acts on no reading; `cutover retry orders` starts it again from its first step.", rolledBack.Out, StringComparison.Ordinal);
        Assert.Equal("rolled-back", json.GetProperty("planStatus").GetString());
    }

    [Fact]
    public async Task Judge_MigrationWithoutPlan_FailsSayingSo()
    {
        var run = await CliRun.RunAsync("judge", "billing", "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("plan", run.Error, StringComparison.Ordinal);
    }
}
