using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>
/// <c>cutover status</c> and the plan commands over a real Cutover with a lockstep group: status
/// shows the group and where each member is, and a command on one member moves them all.
/// </summary>
public sealed class LockstepCommandTests : IAsyncLifetime
{
    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var backend = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var url = backend.Urls.First();
        _cutover = await RunningCutover.StartAsync($$"""
              - name: cart
                match: { pathPrefix: /cart }
                legacy: {{url}}
                candidate: {{url}}
                group: checkout
                plan: &checkout { steps: [{ weight: 5 }, { pause: { duration: 1h } }, { weight: 100 }] }
              - name: payments
                match: { pathPrefix: /payments }
                legacy: {{url}}
                candidate: {{url}}
                group: checkout
                plan: *checkout
            lockstep: [checkout]
            """, backend);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public async Task Status_OfAMember_ShowsTheGroupAndEveryMember_AndAPlanCommandOnOneMovesThemAll()
    {
        // A weight step without gates is done at once: both members are on their pause within a look.
        await Run("promote", "cart", "--force", "-r", "checkout goes");
        var status = await Run("status", "cart");
        for (var look = 0; look < 40 && !status.Contains("payments (running at step 2", StringComparison.Ordinal); look++)
        {
            await Task.Delay(250);
            status = await Run("status", "cart");
        }

        await Run("pause", "payments", "-r", "lunch");
        var paused = await Run("status", "cart");

        Assert.Contains("checkout (lockstep)", status, StringComparison.Ordinal);
        Assert.Contains(
            "Lockstep group checkout: cart (running at step 2, canary 5%), payments (running at step 2, canary 5%). They take each step together, a trigger on one rolls them all back, and a plan command on one acts on all.",
            status, StringComparison.Ordinal);
        Assert.Contains("Lockstep group checkout: cart (paused at step 2, canary 5%), payments (paused at step 2, canary 5%).", paused, StringComparison.Ordinal);
    }

    private async Task<string> Run(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--admin", _cutover.Admin]);
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Out;
    }
}
