using System.Collections.Concurrent;
using System.Diagnostics;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Control;

public class ZeroDowntimeTests
{
    [Fact]
    public async Task WeightChangesAndRollback_UnderSteadyLoad_FailNoRequest()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 0));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var failures = new ConcurrentBag<string>();
        var served = new ConcurrentBag<(long StartedAt, string Side)>();
        long requests = 0;
        var clock = Stopwatch.StartNew();

        // Eight clients loop on the proxy until the changes are done (bounded by count and time).
        var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 20_000; i++)
            {
                var startedAt = clock.ElapsedTicks;
                try
                {
                    served.Add((startedAt, await proxy.SideOfAsync($"user-{worker}-{i % 500}")));
                    Interlocked.Increment(ref requests);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    failures.Add(e.Message);
                }
            }
        })).ToList();

        foreach (var weight in new[] { 1, 5, 25, 50, 100 })
        {
            await Task.Delay(300);
            await proxy.PostAsync("orders", "weight", new { weight, reason = "load test" });
        }

        await Task.Delay(300);
        await proxy.PostAsync("orders", "rollback", new { reason = "load test" });
        var rolledBackAt = clock.ElapsedTicks;
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(requests > 500, $"only {requests} requests ran; the load was too light to prove anything");
        Assert.Contains(served, s => s.Side == "candidate");
        // Every request that started after the rollback call returned went to legacy.
        Assert.All(served.Where(s => s.StartedAt > rolledBackAt), s => Assert.Equal("legacy", s.Side));
        Assert.Contains(served, s => s.StartedAt > rolledBackAt);
    }

    [Fact]
    public async Task Rollback_TakesEffectForTheNextRequest()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"));
        Assert.Equal("candidate", await proxy.SideOfAsync("u"));

        await proxy.PostAsync("orders", "rollback", new { reason = "bad p99" });

        Assert.Equal("legacy", await proxy.SideOfAsync("u"));
    }

    [Fact]
    public async Task RequestInFlight_FinishesOnTheSideItStartedOn()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"));

        var slow = proxy.Proxy.GetStringAsync("/slow?ms=1000");
        await Task.Delay(200);
        await proxy.PostAsync("orders", "rollback", new { reason = "mid-request" });

        Assert.Equal("candidate", await slow);
        Assert.Equal("legacy", await proxy.SideOfAsync("u"));
    }
}
