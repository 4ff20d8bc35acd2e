using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Control;

public class ReplicaTests
{
    private static readonly CutoverHostOptions FastRefresh = new() { LogLevel = LogLevel.Warning, StateRefreshInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task RollbackThroughOneReplica_ReachesTheOtherWithinTheRefreshInterval()
    {
        await using var backends = await Backends.StartAsync();
        await using var first = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"), options: FastRefresh);
        await using var second = await first.StartReplicaAsync(FastRefresh);
        Assert.Equal("candidate", await second.SideOfAsync("u"));

        await first.PostAsync("orders", "rollback", new { reason = "bad on replica one" });

        var seen = await EventuallyAsync(async () => await second.SideOfAsync("u") == "legacy");
        Assert.True(seen, "the second replica still routes to the candidate 5 s after a rollback through the first");
        var view = await second.MigrationAsync("orders");
        Assert.Equal(("legacy", 2L), (view.Mode, view.Version));
    }

    [Fact]
    public async Task ChangesOnBothReplicas_AreSerializedThroughTheStore()
    {
        await using var backends = await Backends.StartAsync();
        await using var first = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 5), options: FastRefresh);
        await using var second = await first.StartReplicaAsync(FastRefresh);

        await first.PostAsync("orders", "weight", new { weight = 10 });
        // The second replica may not have refreshed yet: its change must still land on top, not be lost.
        var last = await second.PostAsync("orders", "weight", new { weight = 20 });

        Assert.Equal((20.0, 3L), (last.Weight, last.Version));
        Assert.True(await EventuallyAsync(async () => (await first.MigrationAsync("orders")).Weight == 20));
    }

    [Fact]
    public async Task RollbackThroughOneReplica_OnPostgres_ReachesTheOtherWithoutWaitingForAPoll()
    {
        // A poll interval of a minute: only PostgreSQL's change notification can explain the second replica following.
        var notifyOnly = new CutoverHostOptions { LogLevel = LogLevel.Warning, StateRefreshInterval = TimeSpan.FromMinutes(1) };
        await using var postgres = await TestPostgres.CreateAsync();
        await using var backends = await Backends.StartAsync();
        await using var first = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"), options: notifyOnly, store: postgres.Location);
        await using var second = await first.StartReplicaAsync(notifyOnly);
        Assert.Equal("candidate", await second.SideOfAsync("u"));

        await first.PostAsync("orders", "rollback", new { reason = "bad on replica one" });

        Assert.True(await EventuallyAsync(async () => await second.SideOfAsync("u") == "legacy"),
            "the second replica did not follow a rollback made through the first within 5 s");
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
