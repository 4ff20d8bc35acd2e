using Cutover.Core.Configuration;
using Cutover.Kernel.Metrics;
using Cutover.Server.Metrics;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Options;

namespace Cutover.Server.Tests.Metrics;

/// <summary>The roller files each 10-second period's traffic under that period's start, even when its timer wakes early.</summary>
public sealed class MetricsRollerTests
{
    [Fact]
    public async Task MetricsRoller_TimerWakesAMillisecondEarly_FilesTrafficInTheBucketOfItsOwnPeriod()
    {
        var time = new ManualTime(ManualTime.DefaultStart.AddSeconds(3));
        var early = new EarlyTimers(time, TimeSpan.FromMilliseconds(1));
        var definition = ConfigLoader.Load("""
            store: "sqlite:unused.db"
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:1
                candidate: http://127.0.0.1:2
            """, "test.yaml");
        var registry = new MetricsRegistry(time);
        using var roller = new MetricsRoller(registry, definition, Options.Create(new CutoverHostOptions { Time = early }));
        await roller.StartAsync(CancellationToken.None);
        await WaitUntilArmedAsync(time);

        var periods = new List<DateTimeOffset>();
        for (var period = 1; period <= 5; period++)
        {
            periods.Add(MetricsHistory.BucketStartOf(time.GetUtcNow()));
            for (var request = 0; request < period; request++)
            {
                registry.For("orders").Legacy.Start();
                registry.For("orders").Legacy.Record(1_000, failed: false);
            }

            time.Advance(TimeSpan.FromSeconds(10));
            await WaitUntilArmedAsync(time);
        }

        await roller.StopAsync(CancellationToken.None);
        var buckets = registry.History("orders").Recent(TimeSpan.FromMinutes(5), time.GetUtcNow());
        Assert.Equal(periods, buckets.Select(b => b.Start));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], buckets.Select(b => b.Legacy.Requests));
    }

    /// <summary>Waits until the roller has armed its next wait, so it rolls before the next traffic is recorded.</summary>
    private static async Task WaitUntilArmedAsync(ManualTime time)
    {
        for (var attempt = 0; time.ArmedTimers == 0; attempt++)
        {
            Assert.True(attempt < 200, "the roller never armed its timer");
            await Task.Delay(10);
        }
    }

    /// <summary>A clock whose waits end <paramref name="by"/> early, as a timer counting whole milliseconds can.</summary>
    private sealed class EarlyTimers(TimeProvider inner, TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime > by ? dueTime - by : dueTime, period);
    }
}
