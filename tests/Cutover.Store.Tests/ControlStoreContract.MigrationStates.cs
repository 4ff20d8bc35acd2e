using System.Text.Json;
using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Values;
using Cutover.Kernel.Routing;

namespace Cutover.Store.Tests;

/// <summary>Migration state with its audit log: seeding, changes, plan progress, reads and the wait for another process's change, on each engine.</summary>
public abstract partial class ControlStoreContract
{
    /// <summary>A plan as JSON, to compare two plans by value.</summary>
    private static string Json(PlanConfig? plan) => JsonSerializer.Serialize(plan);

    [Fact]
    public async Task SeedAsync_NewMigrations_InsertsThemAtVersionOneWithSeedAuditRows()
    {
        var store = await OpenAsync();

        var seeded = await store.SeedAsync([Seed("orders", MigrationMode.Canary, 12.5), Seed("users")]);

        var expected = new[]
        {
            new MigrationState("orders", MigrationMode.Canary, (Weight)12.5, 1, StartInMilliseconds),
            new MigrationState("users", MigrationMode.Legacy, Weight.Zero, 1, StartInMilliseconds),
        };
        Assert.Equal(expected, seeded);
        Assert.Equal(expected, await store.GetStatesAsync());
        var audit = await store.GetAuditAsync(new AuditQuery());
        Assert.Equal(2, audit.Count);
        var orders = Assert.Single(audit, a => a.Migration == "orders");
        Assert.Equal(StartInMilliseconds, orders.Time);
        Assert.Equal("cutover", orders.Actor);
        Assert.Equal("seed", orders.Action);
        Assert.Equal(string.Empty, orders.Before);
        Assert.Equal("mode=canary weight=12.5", orders.After);
        Assert.Equal("from cutover.yaml", orders.Reason);
    }

    [Fact]
    public async Task SeedAsync_MigrationAlreadyStored_KeepsStoredStateAndWritesNoAuditRow()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);
        var changed = await store.ChangeAsync(Change("orders", MigrationMode.Canary, 25));

        var seeded = await store.SeedAsync([Seed("orders", MigrationMode.Candidate, 100), Seed("users")]);

        Assert.Equal(changed, seeded[0]);
        Assert.Equal("users", seeded[1].Name);
        Assert.Equal(changed, await store.GetStateAsync("orders"));
        Assert.Equal(["users", "orders", "orders"], (await store.GetAuditAsync(new AuditQuery())).Select(a => a.Migration));
    }

    [Fact]
    public async Task SeedAsync_SameNameTwice_StoresTheFirstOnce()
    {
        var store = await OpenAsync();

        var seeded = await store.SeedAsync([Seed("orders", MigrationMode.Canary, 5), Seed("orders", MigrationMode.Candidate, 100)]);

        var state = Assert.Single(seeded);
        Assert.Equal((MigrationMode.Canary, 5.0), (state.Mode, state.Weight));
        Assert.Single(await store.GetAuditAsync(new AuditQuery()));
    }

    [Fact]
    public async Task ChangeAsync_StoredMigration_UpdatesStateVersionAndWritesAuditRow()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders", MigrationMode.Canary, 10)]);
        Time.Advance(TimeSpan.FromMinutes(5));
        var at = StartInMilliseconds.AddMinutes(5);

        var changed = await store.ChangeAsync(Change("orders", MigrationMode.Canary, 12.5, reason: "error rate is flat"));

        var expected = new MigrationState("orders", MigrationMode.Canary, (Weight)12.5, 2, at);
        Assert.Equal(expected, changed);
        Assert.Equal(expected, await store.GetStateAsync("orders"));
        var entry = (await store.GetAuditAsync(new AuditQuery()))[0];
        Assert.Equal(at, entry.Time);
        Assert.Equal("orders", entry.Migration);
        Assert.Equal("alice", entry.Actor);
        Assert.Equal("weight", entry.Action);
        Assert.Equal("mode=canary weight=10", entry.Before);
        Assert.Equal("mode=canary weight=12.5", entry.After);
        Assert.Equal("error rate is flat", entry.Reason);
    }

    [Fact]
    public async Task ChangeAsync_WithPlanProgressAndEvidence_StoresBothWithTheAuditRow()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);
        var rollout = new RolloutState(RolloutStatus.Running, 2, At(1), At(0), TimeSpan.FromSeconds(90), "baking");
        const string Evidence = """{"gates":[{"condition":"candidate.errorRate <= 0.01","verdict":"Met"}]}""";

        var changed = await store.ChangeAsync(new StateChange("orders", "step", MigrationMode.Canary, (Weight)25, "cutover", "gates passed", 1, rollout, Evidence));

        var stored = new RolloutState(RolloutStatus.Running, 2, Stored(1), Stored(0), TimeSpan.FromSeconds(90), "baking");
        Assert.Equal(stored, changed.Rollout);
        Assert.Equal(stored, (await store.GetStateAsync("orders"))!.Rollout);
        Assert.Equal(stored, Assert.Single(await store.GetStatesAsync()).Rollout);
        var entry = (await store.GetAuditAsync(new AuditQuery()))[0];
        Assert.Equal(("mode=legacy weight=0", "mode=canary weight=25 plan=running step=3"), (entry.Before, entry.After));
        Assert.Equal(Evidence, entry.Evidence);
    }

    [Fact]
    public async Task ChangeAsync_WithoutPlanProgress_KeepsTheStoredProgress()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);
        var rollout = new RolloutState(RolloutStatus.Paused, 4, Stored(0), Stored(0), TimeSpan.Zero, "waiting for promote");
        await store.ChangeAsync(new StateChange("orders", "pause", MigrationMode.Canary, (Weight)5, "cutover", string.Empty, Rollout: rollout));

        var changed = await store.ChangeAsync(Change("orders", MigrationMode.Canary, 7));

        Assert.Equal(rollout, changed.Rollout);
        Assert.Equal(rollout, (await store.GetStateAsync("orders"))!.Rollout);
        Assert.Null((await store.GetAuditAsync(new AuditQuery()))[0].Evidence);
    }

    [Fact]
    public async Task ChangeAsync_WithAnAppliedPlan_StoresItWithoutLinesAndKeepsItThroughLaterChangesAndAReopen()
    {
        var before = await OpenAsync();
        await before.SeedAsync([Seed("orders"), Seed("billing")]);
        var written = new PlanConfig
        {
            Steps = [new PlanStepConfig { Kind = "weight", Weight = 10, Line = 14 }, new PlanStepConfig { Kind = "pause", Duration = "5m", Line = 15 }],
            Gates = ["candidate.errorRate <= 0.01"],
            MinSamples = 20,
            Line = 12,
        };
        var expected = Json(written with { Line = 0, Steps = [written.Steps[0] with { Line = 0 }, written.Steps[1] with { Line = 0 }] });

        var applied = await before.ChangeAsync(new StateChange("orders", "apply", MigrationMode.Legacy, Weight.Zero, "alice", "new plan", Plan: new AppliedPlan(written)));
        await before.ChangeAsync(Change("orders", MigrationMode.Canary, 10));
        await before.DisposeAsync();
        opened.Remove(before);
        var after = await OpenAsync();

        Assert.Equal(expected, Json(applied.Plan!.Config));
        Assert.Equal(expected, Json((await after.GetStateAsync("orders"))!.Plan!.Config));
        Assert.Equal(expected, Json((await after.GetStatesAsync()).Single(s => s.Name == "orders").Plan!.Config));
        Assert.Null((await after.GetStateAsync("billing"))!.Plan);
        Assert.Equal(["weight", "apply", "seed"], (await after.GetAuditAsync(new AuditQuery("orders"))).Select(a => a.Action));
    }

    [Fact]
    public async Task ChangeAsync_PlanRemovedByApply_IsStoredApartFromNoPlanApplied()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);
        await store.ChangeAsync(new StateChange("orders", "apply", MigrationMode.Legacy, Weight.Zero, "alice", string.Empty, Plan: new AppliedPlan(new PlanConfig { Steps = [new PlanStepConfig { Kind = "retire" }] })));

        var removed = await store.ChangeAsync(new StateChange("orders", "apply", MigrationMode.Legacy, Weight.Zero, "alice", string.Empty, Plan: new AppliedPlan(null)));

        Assert.Equal(new AppliedPlan(null), removed.Plan);
        Assert.Equal(new AppliedPlan(null), (await store.GetStateAsync("orders"))!.Plan);
    }

    [Fact]
    public async Task SaveBakeAsync_SameRunningStep_RecordsTheBakeOtherwiseNothing()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("billing")]);
        var running = new RolloutState(RolloutStatus.Running, 1, Stored(0), Stored(0), TimeSpan.Zero, string.Empty);
        await store.ChangeAsync(new StateChange("orders", "step", MigrationMode.Canary, (Weight)5, "cutover", string.Empty, Rollout: running));
        await store.ChangeAsync(new StateChange("billing", "pause", MigrationMode.Canary, (Weight)5, "cutover", string.Empty, Rollout: running with { Status = RolloutStatus.Paused }));
        var auditRows = (await store.GetAuditAsync(new AuditQuery())).Count;

        await store.SaveBakeAsync("orders", 1, TimeSpan.FromSeconds(42));
        await store.SaveBakeAsync("orders", 2, TimeSpan.FromSeconds(99));
        await store.SaveBakeAsync("billing", 1, TimeSpan.FromSeconds(99));

        Assert.Equal(TimeSpan.FromSeconds(42), (await store.GetStateAsync("orders"))!.Rollout!.Baked);
        Assert.Equal(TimeSpan.Zero, (await store.GetStateAsync("billing"))!.Rollout!.Baked);
        Assert.Equal(auditRows, (await store.GetAuditAsync(new AuditQuery())).Count);
    }

    [Fact]
    public async Task SaveTriggerHoldsAsync_SameStep_ReadBackUntilTheNextMoveClearsThem()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("billing")]);
        var running = new RolloutState(RolloutStatus.Running, 1, Stored(0), Stored(0), TimeSpan.Zero, string.Empty);
        await store.ChangeAsync(new StateChange("orders", "step", MigrationMode.Canary, (Weight)5, "cutover", string.Empty, Rollout: running));
        var auditRows = (await store.GetAuditAsync(new AuditQuery())).Count;
        var holds = new Dictionary<string, DateTimeOffset> { ["candidate.errorRate > 0.05 for 1m"] = Stored(3), ["candidate.p99 > 2 * legacy.p99 for 5m"] = Stored(7) };

        await store.SaveTriggerHoldsAsync("orders", 1, Stored(0), holds);
        await store.SaveTriggerHoldsAsync("orders", 2, Stored(0), new Dictionary<string, DateTimeOffset> { ["other step"] = Stored(9) });
        await store.SaveTriggerHoldsAsync("orders", 1, Stored(5), new Dictionary<string, DateTimeOffset> { ["step entered again"] = Stored(9) });
        await store.SaveTriggerHoldsAsync("billing", 1, Stored(0), holds);

        Assert.Equal(holds, await store.GetTriggerHoldsAsync("orders"));
        Assert.Empty(await store.GetTriggerHoldsAsync("billing"));
        Assert.Empty(await store.GetTriggerHoldsAsync("ghost"));
        Assert.Equal(auditRows, (await store.GetAuditAsync(new AuditQuery())).Count);

        await store.SaveTriggerHoldsAsync("orders", 1, Stored(0), new Dictionary<string, DateTimeOffset>());
        Assert.Empty(await store.GetTriggerHoldsAsync("orders"));

        await store.SaveTriggerHoldsAsync("orders", 1, Stored(0), holds);
        await store.ChangeAsync(new StateChange("orders", "step", MigrationMode.Canary, (Weight)10, "cutover", string.Empty, Rollout: running with { Step = 2, StepStartedAt = Stored(60) }));
        Assert.Empty(await store.GetTriggerHoldsAsync("orders"));
    }

    [Fact]
    public async Task OpenAsync_PlansStoredBeforeHoldsWereSaved_AreUpgradedWithNoTriggerHolding()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);
        var running = new RolloutState(RolloutStatus.Running, 1, Stored(0), Stored(0), TimeSpan.FromSeconds(30), string.Empty);
        await store.ChangeAsync(new StateChange("orders", "step", MigrationMode.Canary, (Weight)5, "cutover", string.Empty, Rollout: running));
        await RewindSchemaAsync(13);

        var upgraded = await OpenAsync();

        Assert.Empty(await upgraded.GetTriggerHoldsAsync("orders"));
        Assert.Equal(running, (await upgraded.GetStateAsync("orders"))!.Rollout);
    }

    [Fact]
    public async Task GetAuditAsync_ActionFilter_ReturnsOnlyThatActionNewestFirst()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("billing")]);
        await store.ChangeAsync(new StateChange("orders", "rollback", MigrationMode.Legacy, Weight.Zero, "cutover", "first", Evidence: "{}"));
        await store.ChangeAsync(Change("orders", MigrationMode.Canary, 5));
        await store.ChangeAsync(new StateChange("billing", "rollback", MigrationMode.Legacy, Weight.Zero, "cutover", "other", Evidence: "{}"));
        await store.ChangeAsync(new StateChange("orders", "rollback", MigrationMode.Legacy, Weight.Zero, "cutover", "second", Evidence: "{}"));

        var rollbacks = await store.GetAuditAsync(new AuditQuery("orders", Action: "rollback"));

        Assert.Equal(["second", "first"], rollbacks.Select(r => r.Reason));
    }

    [Fact]
    public async Task ChangeAsync_UnknownMigration_ThrowsUnknownMigrationAndWritesNothing()
    {
        var store = await OpenAsync();

        var error = await Assert.ThrowsAsync<UnknownMigrationException>(() => store.ChangeAsync(Change("ghost", MigrationMode.Candidate, 100)));

        Assert.Equal("ghost", error.Name);
        Assert.Empty(await store.GetStatesAsync());
        Assert.Empty(await store.GetAuditAsync(new AuditQuery()));
    }

    [Fact]
    public async Task ChangeAsync_StaleExpectedVersion_ThrowsVersionConflictAndChangesNothing()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);
        var current = await store.ChangeAsync(Change("orders", MigrationMode.Canary, 1));

        var error = await Assert.ThrowsAsync<VersionConflictException>(() => store.ChangeAsync(Change("orders", MigrationMode.Candidate, 100, expectedVersion: 1)));

        Assert.Equal(("orders", 1L, 2L), (error.Name, error.Expected, error.Actual));
        Assert.Equal(current, await store.GetStateAsync("orders"));
        Assert.Equal(2, (await store.GetAuditAsync(new AuditQuery())).Count);
    }

    [Fact]
    public async Task ChangeAsync_CurrentExpectedVersion_Applies()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);

        var changed = await store.ChangeAsync(Change("orders", MigrationMode.Canary, 5, expectedVersion: 1));

        Assert.Equal(2, changed.Version);
    }

    [Fact]
    public async Task ChangeAsync_TwentyConcurrentChangesFromTwoStores_AdvanceVersionByExactlyTwenty()
    {
        var proxy = await OpenAsync();
        var cli = await OpenAsync();
        await proxy.SeedAsync([Seed("orders", MigrationMode.Canary, 0)]);

        var results = await AllAtOnceAsync(20, i => (i % 2 == 0 ? proxy : cli).ChangeAsync(Change("orders", MigrationMode.Canary, i + 1)));

        Assert.Equal(Enumerable.Range(2, 20).Select(v => (long)v), results.Select(r => r.Version).Order());
        Assert.Equal(21, (await proxy.GetStateAsync("orders"))!.Version);
        var audit = (await proxy.GetAuditAsync(new AuditQuery("orders"))).Where(a => a.Action == "weight").ToList();
        Assert.Equal(20, audit.Count);
        // Serialized changes chain: each row's "before" is the previous row's "after".
        var oldestFirst = audit.AsEnumerable().Reverse().ToList();
        Assert.Equal("mode=canary weight=0", oldestFirst[0].Before);
        for (var i = 1; i < oldestFirst.Count; i++)
        {
            Assert.Equal(oldestFirst[i - 1].After, oldestFirst[i].Before);
        }
    }

    [Fact]
    public async Task GetStateAsync_UnknownName_ReturnsNull()
    {
        var store = await OpenAsync();

        Assert.Null(await store.GetStateAsync("ghost"));
    }

    [Fact]
    public async Task GetStatesAsync_SeveralMigrations_ReturnsAllByName()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("users"), Seed("billing"), Seed("orders")]);

        var states = await store.GetStatesAsync();

        Assert.Equal(["billing", "orders", "users"], states.Select(s => s.Name));
    }

    [Fact]
    public async Task GetAuditAsync_MigrationFilter_ReturnsOnlyItsRowsNewestFirst()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("users")]);
        await store.ChangeAsync(Change("orders", MigrationMode.Canary, 1));
        await store.ChangeAsync(Change("users", MigrationMode.Canary, 1));
        await store.ChangeAsync(Change("orders", MigrationMode.Canary, 2));

        var audit = await store.GetAuditAsync(new AuditQuery("orders"));

        Assert.Equal(["mode=canary weight=2", "mode=canary weight=1", "mode=legacy weight=0"], audit.Select(a => a.After));
        Assert.All(audit, a => Assert.Equal("orders", a.Migration));
        Assert.Equal(audit.Select(a => a.Id).OrderDescending(), audit.Select(a => a.Id));
    }

    [Fact]
    public async Task GetAuditAsync_LimitAndBeforeId_PagesThroughEveryRowOnce()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("users")]);
        for (var weight = 1; weight <= 6; weight++)
        {
            await store.ChangeAsync(Change(weight % 3 == 0 ? "users" : "orders", MigrationMode.Canary, weight));
        }

        var all = await store.GetAuditAsync(new AuditQuery());
        var pages = new List<IReadOnlyList<AuditEntry>>();
        long? before = null;
        while (true)
        {
            var page = await store.GetAuditAsync(new AuditQuery(Limit: 3, BeforeId: before));
            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
            before = page[^1].Id;
        }

        Assert.Equal(8, all.Count);
        Assert.Equal([3, 3, 2], pages.Select(p => p.Count));
        Assert.Equal(all, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task GetAuditAsync_MigrationFilterWithBeforeId_CombinesBoth()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("users")]);
        await store.ChangeAsync(Change("orders", MigrationMode.Canary, 1));
        await store.ChangeAsync(Change("users", MigrationMode.Canary, 1));
        var newest = (await store.GetAuditAsync(new AuditQuery("orders", Limit: 1)))[0];

        var older = await store.GetAuditAsync(new AuditQuery("orders", BeforeId: newest.Id));

        var seed = Assert.Single(older);
        Assert.Equal(("orders", "seed"), (seed.Migration, seed.Action));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(int.MaxValue, 4)]
    public async Task GetAuditAsync_LimitOutOfRange_IsClampedToOneAndUp(int limit, int expectedRows)
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("a"), Seed("b"), Seed("c"), Seed("d")]);

        var audit = await store.GetAuditAsync(new AuditQuery(Limit: limit));

        Assert.Equal(expectedRows, audit.Count);
    }

    [Fact]
    public async Task WaitForChangeAsync_NothingChanges_ReturnsFalseAfterTheWait()
    {
        var store = await OpenAsync();

        var told = await store.WaitForChangeAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(told);
    }
}
