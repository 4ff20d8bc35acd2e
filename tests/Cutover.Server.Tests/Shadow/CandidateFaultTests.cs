using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Tests.Shadow;

/// <summary>
/// A candidate that hangs, dies, resets, floods or talks nonsense: the user is served by legacy
/// as fast as without shadowing, and the copy ends as a recorded candidate error.
/// </summary>
public sealed class CandidateFaultTests
{
    private static Task Order(HttpContext context) => ScriptedBackend.Json(context, """{"id":1,"total":10}""");

    /// <summary>Sends requests one by one and returns the slowest user-facing time.</summary>
    private static async Task<TimeSpan> SlowestOfAsync(ProxyUnderTest proxy, int requests)
    {
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await proxy.Proxy.GetAsync("/orders/1");
            Assert.Equal("""{"id":1,"total":10}""", await response.Content.ReadAsStringAsync());
            var elapsed = Stopwatch.GetElapsedTime(started);
            slowest = elapsed > slowest ? elapsed : slowest;
        }

        return slowest;
    }

    [Fact]
    public async Task HangingCandidate_LeavesUsersUnaffected_AndTimesOutAsACandidateError()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            await Order(context);
        });
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { timeout: 300ms }"));

        var slowest = await SlowestOfAsync(proxy, 20);
        var view = await ShadowHarness.SettledAsync(proxy, 20);

        // Each copy hangs for 30 s; had a user waited for one, the slowest answer would show it.
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"a user waited {slowest.TotalMilliseconds} ms");
        Assert.Equal(20, view.Shadow.CandidateErrors);
        Assert.Equal(0, view.Shadow.Compared);
        Assert.Contains("shadow.timeout", view.Shadow.LastCandidateError, StringComparison.Ordinal);
        Assert.Contains("GET /orders/{id}", view.Shadow.LastCandidateError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadCandidate_LeavesUsersUnaffected_AndIsACandidateError()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, $"http://127.0.0.1:{deadPort}"));

        await SlowestOfAsync(proxy, 10);
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

        await SlowestOfAsync(proxy, 5);
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

        await SlowestOfAsync(proxy, 3);
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

        await SlowestOfAsync(proxy, 2);
        var view = await ShadowHarness.SettledAsync(proxy, 2);

        Assert.Equal(2, view.Shadow.Divergent);
        Assert.Equal("body", Assert.Single(Assert.Single(view.Endpoints).Paths).Path);
        Assert.Contains("oops", view.Sample!.Candidate.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullQueue_DropsCopies_AndCountsThem_WithoutDelayingUsers()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Order);
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
            await Order(context);
        });
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { concurrency: 1, queueSize: 1 }"));

        var slowest = await SlowestOfAsync(proxy, 20);
        var view = await ShadowHarness.DivergencesAsync(proxy);

        Assert.True(slowest < TimeSpan.FromSeconds(1), $"a user waited {slowest.TotalMilliseconds} ms");
        Assert.Equal(20, view.Shadow.Mirrored + view.Shadow.Dropped);
        Assert.InRange(view.Shadow.Dropped, 15, 18);
    }
}
