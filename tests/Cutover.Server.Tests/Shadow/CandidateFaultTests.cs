using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Tests.Shadow;

/// <summary>
/// A candidate that hangs, dies, resets, floods or talks nonsense: the user is served by legacy
/// as fast as without shadowing, and the copy ends as a recorded candidate error.
/// </summary>
public sealed class CandidateFaultTests
{
    private static Task Order(HttpContext context) => ScriptedBackend.Json(context, """{"id":1,"total":10}""");

    /// <summary>Sends requests one by one, each answered by legacy as a user sees it.</summary>
    private static async Task ServeAsync(ProxyUnderTest proxy, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            using var response = await proxy.Proxy.GetAsync("/orders/1");
            Assert.Equal("""{"id":1,"total":10}""", await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A candidate that answers no copy until the test opens the gate.</summary>
    private static Task<ScriptedBackend> GatedCandidateAsync(TaskCompletionSource gate) =>
        ScriptedBackend.StartAsync(async context =>
        {
            await gate.Task;
            await Order(context);
        });

    [Fact]
    public async Task CandidateThatHasNotAnswered_DelaysNoUser()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await GatedCandidateAsync(gate);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { timeout: 60s }"));

        // No copy can be answered before the gate opens, so every user served here waited for none.
        await ServeAsync(proxy, 20);
        var waiting = await ShadowHarness.DivergencesAsync(proxy);
        gate.SetResult();
        var view = await ShadowHarness.SettledAsync(proxy, 20);

        Assert.Equal((20L, 0L), (waiting.Shadow.Mirrored, waiting.Shadow.Compared));
        Assert.Equal(20, view.Shadow.Equal);
    }

    [Fact]
    public async Task HangingCandidate_TimesOutAsACandidateError()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            await Order(context);
        });
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { timeout: 300ms }"));

        await ServeAsync(proxy, 20);
        var view = await ShadowHarness.SettledAsync(proxy, 20);

        Assert.Equal(20, view.Shadow.CandidateErrors);
        Assert.Equal(0, view.Shadow.Compared);
        Assert.Contains("shadow.timeout (300 ms)", view.Shadow.LastCandidateError, StringComparison.Ordinal);
        Assert.Contains("GET /orders/{id}", view.Shadow.LastCandidateError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadCandidate_LeavesUsersUnaffected_AndIsACandidateError()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        var deadPort = LoopbackPorts.Closed();
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, $"http://127.0.0.1:{deadPort}"));

        await ServeAsync(proxy, 10);
        var view = await ShadowHarness.SettledAsync(proxy, 10);

        Assert.Equal(10, view.Shadow.CandidateErrors);
        Assert.NotNull(view.Shadow.LastCandidateError);
        Assert.Equal(10, (await proxy.MigrationAsync("orders")).Stats.Legacy.Requests);
        Assert.Equal(0, (await proxy.MigrationAsync("orders")).Stats.Legacy.Errors);
    }

    [Fact]
    public async Task CandidateThatResetsTheConnection_IsACandidateError()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":1,""");
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));

        await ServeAsync(proxy, 5);
        var view = await ShadowHarness.SettledAsync(proxy, 5);

        Assert.Equal(5, view.Shadow.CandidateErrors);
        Assert.Equal(0, view.Shadow.Compared);
    }

    [Fact]
    public async Task HugeCandidateBody_IsCutAtTheLimit_AndIsACandidateError()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            var chunk = new byte[64 * 1024];
            for (var sent = 0; sent < 50 * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { maxResponseBytes: 1048576 }"));

        await ServeAsync(proxy, 3);
        var view = await ShadowHarness.SettledAsync(proxy, 3);

        Assert.Equal(3, view.Shadow.CandidateErrors);
        Assert.Contains("shadow.maxResponseBytes (1048576 bytes)", view.Shadow.LastCandidateError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageFromTheCandidate_IsADivergenceOfTheBody()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, "<html>oops</html>\u0001\u0002"));
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));

        await ServeAsync(proxy, 2);
        var view = await ShadowHarness.SettledAsync(proxy, 2);

        Assert.Equal(2, view.Shadow.Divergent);
        Assert.Equal("body", Assert.Single(Assert.Single(view.Endpoints).Paths).Path);
        Assert.Contains("oops", view.Sample!.Candidate.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullQueue_DropsCopies_AndCountsThem_WithoutDelayingUsers()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await GatedCandidateAsync(gate);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { concurrency: 1, queueSize: 1 }"));

        // The one worker holds the first copy until the gate opens and the queue holds one more: the other 18 are dropped.
        await ServeAsync(proxy, 20);
        var full = await ShadowHarness.DivergencesAsync(proxy);
        gate.SetResult();
        var view = await ShadowHarness.SettledAsync(proxy, 2);

        Assert.Equal((2L, 18L), (full.Shadow.Mirrored, full.Shadow.Dropped));
        Assert.Equal(2, view.Shadow.Equal);
    }
}
