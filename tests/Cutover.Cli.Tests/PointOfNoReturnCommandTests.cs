using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>
/// <c>cutover status NAME</c> and <c>cutover rollback</c> over a real Cutover whose plan has a point
/// of no return, a window and a progress deadline: status says where they stand, and a rollback
/// past the point of no return is refused until forced.
/// </summary>
public sealed class PointOfNoReturnCommandTests : IAsyncLifetime
{
    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var backend = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var url = backend.Urls.First();
        _cutover = await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: /orders }
                legacy: {{url}}
                candidate: {{url}}
                plan:
                  steps:
                    - weight: 5
                    - pointOfNoReturn: { note: "the candidate now writes the new store" }
                    - pause: { duration: 1h }
                    - weight: 100
                  window: { hours: "00:00-24:00", timeZone: Europe/Paris }
                  progressDeadline: 2h
            """, backend);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public async Task Status_BeforeAndAfterThePointOfNoReturn_SaysWhetherItWasPassed()
    {
        var before = await Run("status", "orders");
        await Run("promote", "orders", "--force");
        await Run("promote", "orders", "--force");
        var after = await Run("status", "orders");

        Assert.Contains("Point of no return: step 2 (the candidate now writes the new store), not passed yet.", before, StringComparison.Ordinal);
        Assert.Contains("Window: every day 00:00-24:00 Europe/Paris; open now.", before, StringComparison.Ordinal);
        Assert.Contains("Progress deadline: 2h a step; a step not done by then pauses for a person.", before, StringComparison.Ordinal);
        Assert.Contains(
            "Point of no return: step 2 (the candidate now writes the new store), passed: legacy no longer holds current data; a trigger halts the plan, and `cutover rollback orders` needs --force.",
            after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_PastThePointOfNoReturn_IsRefusedUntilForced()
    {
        await Run("promote", "orders", "--force");
        await Run("promote", "orders", "--force");

        var refused = await CliRun.RunAsync("rollback", "orders", "-r", "errors", "--admin", _cutover.Admin);
        var forced = await CliRun.RunAsync("rollback", "orders", "--force", "-r", "legacy restored", "--admin", _cutover.Admin);

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith(
            "error: The plan of 'orders' passed its point of no return at step 2 (point of no return: the candidate now writes the new store): legacy no longer holds current data, so sending users back to it would lose their writes.",
            refused.Error.Trim(), StringComparison.Ordinal);
        Assert.Contains("`cutover rollback orders --force` (audited)", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.StartsWith("orders: mode legacy, weight 0%", forced.Out.Trim(), StringComparison.Ordinal);
    }

    private async Task<string> Run(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--admin", _cutover.Admin]);
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Out;
    }
}
