using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.State;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;

namespace Cutover.Server.Tests.Rollout;

/// <summary>Several Cutover replicas on one store: their traffic is judged together, and one of them runs the plans.</summary>
public sealed class ReplicaRolloutTests
{
    private const string StopsAt25 = """
        steps:
          - weight: 25
          - pause: {}
          - weight: 100
        minSamples: 20
        """;

    private const string TimedPause = """
        steps:
          - weight: 10
          - pause: { duration: 1m }
          - weight: 50
        minSamples: 20
        """;

    [Fact]
    public async Task Metrics_SeveralReplicasOnOneStore_AddsUpTheTrafficOfEveryReplica()
    {
        await using var harness = await RolloutHarness.StartAsync(StopsAt25);
        await using var second = await harness.StartReplicaAsync();

        await harness.SendTrafficAsync(10);
        await harness.SendTrafficAsync(25, second);
        var seenByFirst = await DriveUntilSeenAsync(harness, harness.Proxy, legacyRequests: 35);
        var seenBySecond = await DriveUntilSeenAsync(harness, second, legacyRequests: 35);

        Assert.Equal((2, 2), (seenByFirst.Replicas, seenBySecond.Replicas));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plan_CandidateFailingBehindAnotherReplica_IsRolledBackByTheReplicaThatRunsThePlans(bool onPostgres)
    {
        await using var postgres = onPostgres ? await TestPostgres.CreateAsync() : null;
        await using var harness = await RolloutHarness.StartAsync(StopsAt25, store: postgres?.Location);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Weight == 25 && v.Plan!.Status == "paused", TimeSpan.FromMinutes(5));
        await using var second = await harness.StartReplicaAsync();

        // Every user request goes through the second replica, which does not run the plans: only
        // the first can roll back, and it sees the failures only through the store.
        harness.CandidateFails = true;
        var took = await harness.DriveUntilAsync(v => v.Plan!.Status == "rolled-back", TimeSpan.FromMinutes(5), requestsPerSecond: 80, replica: second);

        Assert.InRange(took, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        var rollback = (await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders"))!.First();
        Assert.Equal(("rollback", "cutover"), (rollback.Action, rollback.Actor));
        Assert.Contains("candidate.errorRate > 0.5 for 10s", rollback.Reason, StringComparison.Ordinal);
        var followed = await harness.DriveUntilAsync(v => v.Weight == 0, TimeSpan.FromSeconds(10), requestsPerSecond: 0, replica: second);
        Assert.True(followed <= TimeSpan.FromSeconds(2), $"the second replica followed the rollback after {followed}");
    }

    [Fact]
    public async Task Plan_ReplicaThatRunsThePlansStops_AnotherTakesOverThePlan()
    {
        await using var harness = await RolloutHarness.StartAsync(TimedPause);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(2));
        await using var second = await harness.StartReplicaAsync();
        await harness.DriveForAsync(TimeSpan.FromSeconds(20));

        await harness.Proxy.StopAsync();
        var took = await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(3), replica: second);

        // The pause had about 40 s left; the second replica takes the lease within a third of its term.
        Assert.InRange(took, TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(50));
        Assert.Equal("completed", (await second.MigrationAsync("orders")).Plan!.Status);
    }

    [Fact]
    public async Task Judge_OnAReplicaThatDoesNotRunThePlans_ShowsSinceWhenATriggerHasHeld()
    {
        const string plan = """
            steps:
              - weight: 50
              - pause: {}
            triggers: ["candidate.errorRate > 0.5 for 1m"]
            minSamples: 20
            """;
        await using var harness = await RolloutHarness.StartAsync(plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(1));
        await using var second = await harness.StartReplicaAsync();

        harness.CandidateFails = true;
        var seenByFirst = await TriggerAsync(harness.Proxy);
        for (var tick = 0; seenByFirst.GetProperty("holdingSince").ValueKind != JsonValueKind.String; tick++)
        {
            Assert.True(tick < 30, "the trigger did not hold within 30 s of clock time");
            await harness.SendTrafficAsync(80, second);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await RolloutHarness.SettleAsync();
            seenByFirst = await TriggerAsync(harness.Proxy);
        }

        var seenBySecond = await TriggerAsync(second);

        Assert.Equal(seenByFirst.GetProperty("holdingSince").GetDateTimeOffset(), seenBySecond.GetProperty("holdingSince").GetDateTimeOffset());
        Assert.InRange(seenBySecond.GetProperty("heldSeconds").GetDouble(), 0, 60);
    }

    private static async Task<JsonElement> TriggerAsync(ProxyUnderTest replica) =>
        (await replica.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge")).GetProperty("triggers")[0];

    /// <summary>Moves the clock a second at a time until <paramref name="replica"/> counts the legacy requests of both replicas: each reads the other's buckets from the store on its own schedule.</summary>
    private static async Task<MetricsView> DriveUntilSeenAsync(RolloutHarness harness, ProxyUnderTest replica, long legacyRequests)
    {
        for (var tick = 0; tick < 10; tick++)
        {
            var view = (await replica.Admin.GetFromJsonAsync<MetricsView>("/api/migrations/orders/metrics?window=1m"))!;
            if (view.Legacy.Requests == legacyRequests)
            {
                return view;
            }

            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        throw new TimeoutException($"The replica at {replica.Host.AdminAddress} never saw {legacyRequests} legacy requests of both replicas.");
    }
}
