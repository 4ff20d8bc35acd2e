using System.Text.Json;
using Cutover.Core.Comparison;
using Cutover.Core.Configuration;
using Cutover.Core.Metrics;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Core.State;
using Cutover.Store.Schema;

namespace Cutover.Store.Tests;

/// <summary>
/// What every <see cref="IControlStore"/> must do, run against each real engine by a subclass
/// that provides an empty database per test.
/// </summary>
public abstract partial class ControlStoreContract : IAsyncLifetime
{
    /// <summary>The clock's start, with ticks below a millisecond that the store must drop.</summary>
    private static readonly DateTimeOffset Start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);

    private static readonly DateTimeOffset StartInMilliseconds = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly List<IControlStore> opened = [];

    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The location of this test's empty database, as given to <see cref="ControlStoreFactory"/>.</summary>
    protected abstract string Location { get; }

    /// <summary>Creates this test's empty database.</summary>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>Removes this test's database.</summary>
    protected abstract Task DropDatabaseAsync();

    /// <summary>Runs SQL against this test's database behind the store's back.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    public Task InitializeAsync() => CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    /// <summary>Creates and initializes a store on this test's database; it is disposed after the test.</summary>
    protected async Task<IControlStore> OpenAsync()
    {
        var store = ControlStoreFactory.Create(Location, Time);
        opened.Add(store);
        await store.InitializeAsync();
        return store;
    }

    private static StateChange Seed(string name, MigrationMode mode = MigrationMode.Legacy, double weight = 0) =>
        new(name, "seed", mode, weight, "cutover", "from cutover.yaml");

    private static StateChange Change(string name, MigrationMode mode, double weight, long? expectedVersion = null, string reason = "") =>
        new(name, "weight", mode, weight, "alice", reason, expectedVersion);

    /// <summary>A plan as JSON, to compare two plans by value.</summary>
    private static string Json(PlanConfig? plan) => JsonSerializer.Serialize(plan);

    /// <summary>A time <paramref name="minutes"/> after the start, with the start's ticks below a millisecond.</summary>
    private static DateTimeOffset At(int minutes) => Start.AddMinutes(minutes);

    /// <summary>What the store gives back for <see cref="At"/>: the same time in whole milliseconds.</summary>
    private static DateTimeOffset Stored(int minutes) => StartInMilliseconds.AddMinutes(minutes);

    private static ShadowBatch Batch(string migration, IReadOnlyList<EndpointTally>? endpoints = null, IReadOnlyList<DivergenceSample>? samples = null, IReadOnlyList<NoiseEntry>? noise = null) =>
        new(migration, endpoints ?? [], samples ?? [], noise ?? []);

    private static EndpointTally Tally(string endpoint, long compared, long divergent, int first, int last, params PathTally[] paths) =>
        new(endpoint, compared, divergent, At(first), At(last), paths);

    private static DivergenceSample Sample(string endpoint, string path, int minutes) =>
        new(
            0,
            endpoint,
            path,
            At(minutes),
            new SampleRequest("GET", "/orders/1", new Dictionary<string, string>(), string.Empty, false),
            new SampleResponse(200, new Dictionary<string, string>(), "{\"total\":1}", false, 3),
            new SampleResponse(200, new Dictionary<string, string>(), "{\"total\":2}", false, 4),
            [new Difference(path, DifferenceKind.ValueChanged, "1", "2")],
            1);

    /// <summary>The samples the report lists for one endpoint of a migration, newest first.</summary>
    private static async Task<IReadOnlyList<SampleReference>> SamplesOfAsync(IControlStore store, string migration, string endpoint) =>
        (await store.GetDivergencesAsync(migration)).Endpoints.Single(e => e.Endpoint == endpoint).Samples;

    /// <summary>
    /// Runs <paramref name="count"/> calls on a thread each, released together. SQLite's calls
    /// complete synchronously, so thread-pool tasks on a small machine would mostly run one after
    /// another and hide a missing lock.
    /// </summary>
    private static async Task<T[]> AllAtOnceAsync<T>(int count, Func<int, Task<T>> call)
    {
        using var gate = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, count).Select(i => Task.Factory.StartNew(
            () =>
            {
                gate.Wait();
                return call(i);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()).ToList();
        gate.Set();
        return await Task.WhenAll(calls);
    }

    [Fact]
    public async Task InitializeAsync_CalledTwiceAndFromASecondStore_IsIdempotent()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders")]);

        await store.InitializeAsync();
        var second = await OpenAsync();

        Assert.Equal(["orders"], (await second.GetStatesAsync()).Select(s => s.Name));
    }

    [Fact]
    public async Task InitializeAsync_FiveStoresAtOnceOnAnEmptyDatabase_AllSucceed()
    {
        var stores = Enumerable.Range(0, 5).Select(_ => ControlStoreFactory.Create(Location, Time)).ToList();
        opened.AddRange(stores);

        await AllAtOnceAsync(stores.Count, async i =>
        {
            await stores[i].InitializeAsync();
            return i;
        });

        Assert.Single(await stores[0].SeedAsync([Seed("orders")]));
    }

    [Fact]
    public async Task InitializeAsync_DatabaseAtNewerSchemaVersion_ThrowsNamingBothVersions()
    {
        await OpenAsync();
        await ExecuteSqlAsync("INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'from a newer build', '2030-01-01T00:00:00.000Z')");

        var store = ControlStoreFactory.Create(Location, Time);
        opened.Add(store);
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync());

        Assert.Contains(store.Description, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 999", error.Message, StringComparison.Ordinal);
        Assert.Contains($"knows versions up to {StoreSchema.CurrentVersion}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedAsync_NewMigrations_InsertsThemAtVersionOneWithSeedAuditRows()
    {
        var store = await OpenAsync();

        var seeded = await store.SeedAsync([Seed("orders", MigrationMode.Canary, 12.5), Seed("users")]);

        var expected = new[]
        {
            new MigrationState("orders", MigrationMode.Canary, 12.5, 1, StartInMilliseconds),
            new MigrationState("users", MigrationMode.Legacy, 0, 1, StartInMilliseconds),
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

        var expected = new MigrationState("orders", MigrationMode.Canary, 12.5, 2, at);
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

        var changed = await store.ChangeAsync(new StateChange("orders", "step", MigrationMode.Canary, 25, "cutover", "gates passed", 1, rollout, Evidence));

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
        await store.ChangeAsync(new StateChange("orders", "pause", MigrationMode.Canary, 5, "cutover", string.Empty, Rollout: rollout));

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

        var applied = await before.ChangeAsync(new StateChange("orders", "apply", MigrationMode.Legacy, 0, "alice", "new plan", Plan: new AppliedPlan(written)));
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
        await store.ChangeAsync(new StateChange("orders", "apply", MigrationMode.Legacy, 0, "alice", string.Empty, Plan: new AppliedPlan(new PlanConfig { Steps = [new PlanStepConfig { Kind = "retire" }] })));

        var removed = await store.ChangeAsync(new StateChange("orders", "apply", MigrationMode.Legacy, 0, "alice", string.Empty, Plan: new AppliedPlan(null)));

        Assert.Equal(new AppliedPlan(null), removed.Plan);
        Assert.Equal(new AppliedPlan(null), (await store.GetStateAsync("orders"))!.Plan);
    }

    [Fact]
    public async Task SaveBakeAsync_SameRunningStep_RecordsTheBakeOtherwiseNothing()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("billing")]);
        var running = new RolloutState(RolloutStatus.Running, 1, Stored(0), Stored(0), TimeSpan.Zero, string.Empty);
        await store.ChangeAsync(new StateChange("orders", "step", MigrationMode.Canary, 5, "cutover", string.Empty, Rollout: running));
        await store.ChangeAsync(new StateChange("billing", "pause", MigrationMode.Canary, 5, "cutover", string.Empty, Rollout: running with { Status = RolloutStatus.Paused }));
        var auditRows = (await store.GetAuditAsync(new AuditQuery())).Count;

        await store.SaveBakeAsync("orders", 1, TimeSpan.FromSeconds(42));
        await store.SaveBakeAsync("orders", 2, TimeSpan.FromSeconds(99));
        await store.SaveBakeAsync("billing", 1, TimeSpan.FromSeconds(99));

        Assert.Equal(TimeSpan.FromSeconds(42), (await store.GetStateAsync("orders"))!.Rollout!.Baked);
        Assert.Equal(TimeSpan.Zero, (await store.GetStateAsync("billing"))!.Rollout!.Baked);
        Assert.Equal(auditRows, (await store.GetAuditAsync(new AuditQuery())).Count);
    }

    [Fact]
    public async Task GetAuditAsync_ActionFilter_ReturnsOnlyThatActionNewestFirst()
    {
        var store = await OpenAsync();
        await store.SeedAsync([Seed("orders"), Seed("billing")]);
        await store.ChangeAsync(new StateChange("orders", "rollback", MigrationMode.Legacy, 0, "cutover", "first", Evidence: "{}"));
        await store.ChangeAsync(Change("orders", MigrationMode.Canary, 5));
        await store.ChangeAsync(new StateChange("billing", "rollback", MigrationMode.Legacy, 0, "cutover", "other", Evidence: "{}"));
        await store.ChangeAsync(new StateChange("orders", "rollback", MigrationMode.Legacy, 0, "cutover", "second", Evidence: "{}"));

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
    public async Task InitializeAsync_DatabaseAtVersionOne_UpgradesKeepingStatesAndAudit()
    {
        var before = await OpenAsync();
        await before.SeedAsync([Seed("orders")]);
        var changed = await before.ChangeAsync(Change("orders", MigrationMode.Canary, 5));
        // Take the database back to what a version-1 build left: no applied plans, no metric buckets or leases, no shadow tables, no plan progress, no evidence column, no backfill jobs or ranges, no tokens.
        await ExecuteSqlAsync(
            "ALTER TABLE migrations DROP COLUMN plan_applied; ALTER TABLE migrations DROP COLUMN plan; DROP TABLE metric_buckets; DROP TABLE leases; DROP TABLE rollouts; DROP INDEX audit_by_action; ALTER TABLE audit DROP COLUMN evidence; DROP TABLE divergence_endpoints; DROP TABLE divergence_paths; DROP TABLE divergence_samples; DROP TABLE noise; DROP TABLE backfill_jobs; DROP TABLE backfill_ranges; DROP TABLE tokens; DROP TABLE store_secrets; DELETE FROM schema_version WHERE version > 1;");

        var upgraded = await OpenAsync();
        await upgraded.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 10, 1, 0, 1)]));
        await OpenAsync(); // fails with "table already exists" unless the upgrade recorded its version

        Assert.Equal(changed, await upgraded.GetStateAsync("orders"));
        Assert.Equal(["weight", "seed"], (await upgraded.GetAuditAsync(new AuditQuery())).Select(a => a.Action));
        Assert.Equal(10, Assert.Single((await upgraded.GetDivergencesAsync("orders")).Endpoints).Compared);
    }

    [Fact]
    public async Task RecordShadowAsync_TwoBatches_AddsCountsKeepsFirstSeenAndMovesLastSeen()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders/{id}", 10, 4, 0, 1, new PathTally("$.total", DifferenceKind.ValueChanged, 4, At(0), At(1)))]));

        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders/{id}", 5, 2, 2, 3, new PathTally("$.total", DifferenceKind.TypeChanged, 2, At(2), At(3)))]));

        var report = await store.GetDivergencesAsync("orders");
        Assert.Equal("orders", report.Migration);
        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal(("GET /orders/{id}", 15L, 6L, Stored(0), Stored(3)), (endpoint.Endpoint, endpoint.Compared, endpoint.Divergent, endpoint.FirstSeen, endpoint.LastSeen));
        Assert.Equal([new PathTally("$.total", DifferenceKind.TypeChanged, 6, Stored(0), Stored(3))], endpoint.Paths);
    }

    [Fact]
    public async Task RecordShadowAsync_TwoStoresOnOneDatabase_AddUpKeepingTheEarliestAndLatestTimes()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await first.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 10, 3, 5, 6, new PathTally("$.total", DifferenceKind.ValueChanged, 3, At(5), At(6)))]));

        // The second replica flushes later, but what it saw is older: it must not move times back or change the latest kind.
        await second.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 7, 2, 1, 2, new PathTally("$.total", DifferenceKind.Missing, 2, At(1), At(2)))]));

        foreach (var store in new[] { first, second })
        {
            var endpoint = Assert.Single((await store.GetDivergencesAsync("orders")).Endpoints);
            Assert.Equal((17L, 5L, Stored(1), Stored(6)), (endpoint.Compared, endpoint.Divergent, endpoint.FirstSeen, endpoint.LastSeen));
            Assert.Equal([new PathTally("$.total", DifferenceKind.ValueChanged, 5, Stored(1), Stored(6))], endpoint.Paths);
        }
    }

    [Fact]
    public async Task RecordShadowAsync_TwentyBatchesAtOnceFromTwoStores_CountsEveryComparison()
    {
        var proxy = await OpenAsync();
        var other = await OpenAsync();
        string[] endpoints = ["GET /a", "GET /b", "GET /c"];

        await AllAtOnceAsync(20, async i =>
        {
            // Replicas list endpoints in whatever order their dictionaries give; writers must not deadlock on it.
            var order = i % 2 == 0 ? endpoints : Enumerable.Reverse(endpoints);
            var tallies = order.Select(e => Tally(e, 3, 1, i, i, new PathTally("$.id", DifferenceKind.ValueChanged, 1, At(i), At(i)))).ToList();
            await (i % 2 == 0 ? proxy : other).RecordShadowAsync(Batch("orders", tallies));
            return i;
        });

        var report = await proxy.GetDivergencesAsync("orders");
        Assert.Equal(endpoints, report.Endpoints.Select(e => e.Endpoint));
        Assert.All(report.Endpoints, e => Assert.Equal((60L, 20L, Stored(0), Stored(19)), (e.Compared, e.Divergent, e.FirstSeen, e.LastSeen)));
        Assert.All(report.Endpoints, e => Assert.Equal(20, Assert.Single(e.Paths).Count));
    }

    [Fact]
    public async Task RecordShadowAsync_MoreSamplesThanKeptForAPath_KeepsTheNewestOfThatPathOnly()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch(
            "orders",
            [Tally("GET /orders", 4, 4, 0, 3), Tally("GET /users", 1, 1, 3, 3)],
            [Sample("GET /orders", "$.total", 0), Sample("GET /orders", "$.total", 1), Sample("GET /orders", "$.id", 2), Sample("GET /users", "$.total", 3)]));
        var oldest = (await SamplesOfAsync(store, "orders", "GET /orders")).Where(s => s.Path == "$.total").Select(s => s.Id).ToList();

        await store.RecordShadowAsync(Batch(
            "orders",
            samples: [Sample("GET /orders", "$.total", 4), Sample("GET /orders", "$.total", 5), Sample("GET /orders", "$.total", 6)]));

        var orders = await SamplesOfAsync(store, "orders", "GET /orders");
        Assert.Equal(
            [("$.total", Stored(6)), ("$.total", Stored(5)), ("$.total", Stored(4)), ("$.id", Stored(2))],
            orders.Select(s => (s.Path, s.Time)));
        Assert.Equal(orders.Select(s => s.Id).OrderDescending(), orders.Select(s => s.Id));
        Assert.Equal([("$.total", Stored(3))], (await SamplesOfAsync(store, "orders", "GET /users")).Select(s => (s.Path, s.Time)));
        Assert.Equal(2, oldest.Count);
        foreach (var id in oldest)
        {
            Assert.Null(await store.GetSampleAsync("orders", id));
        }
    }

    [Fact]
    public async Task GetSampleAsync_StoredSample_ReturnsItAsWrittenWithItsId()
    {
        var store = await OpenAsync();
        var written = new DivergenceSample(
            0,
            "POST /orders",
            "$.items[*].price",
            At(7),
            new SampleRequest(
                "POST",
                "/orders?dry=1&b=%20",
                new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=utf-8", ["Authorization"] = "[redacted]" },
                "{\"sku\":\"ä-1 ✓\",\"note\":\"<b>&'\\n\"}\nsecond line\ttab",
                BodyTruncated: true),
            new SampleResponse(201, new Dictionary<string, string> { ["ETag"] = "\"v1\"", ["Content-Type"] = "application/json" }, "{\"price\":10}", false, 12.345678),
            new SampleResponse(500, new Dictionary<string, string>(), "binary body: 2048 bytes, SHA-256 0f1e", true, 0.25),
            [
                new Difference("$.items[*].price", DifferenceKind.ValueChanged, "10", "10.5"),
                new Difference("$.items[*].sku", DifferenceKind.TypeChanged, "\"a\"", "1"),
                new Difference("$.id", DifferenceKind.Missing, "\"o-1\"", null),
                new Difference("$.extra", DifferenceKind.Added, null, "true"),
            ],
            57);
        await store.RecordShadowAsync(Batch("orders", [Tally("POST /orders", 1, 1, 7, 7)], [written]));
        var reference = Assert.Single(await SamplesOfAsync(store, "orders", "POST /orders"));

        var read = await store.GetSampleAsync("orders", reference.Id);

        Assert.NotNull(read);
        Assert.NotEqual(0, read.Id);
        Assert.Equal((reference.Id, reference.Path, reference.Time), (read.Id, read.Path, read.Time));
        Assert.Equal(Stored(7), read.Time);
        Assert.Equal(written.Request!.Headers, read.Request!.Headers);
        Assert.Equal(written.Legacy.Headers, read.Legacy.Headers);
        Assert.Equal(written.Candidate.Headers, read.Candidate.Headers);
        Assert.Equal(written.Differences, read.Differences);
        // Records compare dictionaries and lists by reference: with those checked above, compare the rest whole.
        Assert.Equal(written.Request with { Headers = read.Request.Headers }, read.Request);
        Assert.Equal(written.Legacy with { Headers = read.Legacy.Headers }, read.Legacy);
        Assert.Equal(written.Candidate with { Headers = read.Candidate.Headers }, read.Candidate);
        Assert.Equal(
            written with { Id = read.Id, Time = Stored(7), Request = read.Request, Legacy = read.Legacy, Candidate = read.Candidate, Differences = read.Differences },
            read);
    }

    [Fact]
    public async Task GetSampleAsync_CodeLevelSample_ReturnsItsCallAndNoRequestStatusOrLatency()
    {
        var store = await OpenAsync();
        var written = new DivergenceSample(
            0, "(in-process calls)", "$.rate", At(3), null,
            new SampleResponse(null, new Dictionary<string, string>(), "{\"rate\":19}", false, null),
            new SampleResponse(null, new Dictionary<string, string>(), "{\"rate\":21}", true, null),
            [new Difference("$.rate", DifferenceKind.ValueChanged, "19", "21")],
            1,
            new SampleCall("billing", "user-7"));
        await store.RecordShadowAsync(Batch("billing-tax", [Tally("(in-process calls)", 2, 1, 3, 3)], [written]));
        var reference = Assert.Single(await SamplesOfAsync(store, "billing-tax", "(in-process calls)"));

        var read = (await store.GetSampleAsync("billing-tax", reference.Id))!;

        Assert.Null(read.Request);
        Assert.Equal(new SampleCall("billing", "user-7"), read.Call);
        Assert.Equal((null, null, "{\"rate\":19}"), (read.Legacy.Status, read.Legacy.LatencyMs, read.Legacy.Body));
        Assert.True(read.Candidate.BodyTruncated);
        Assert.Equal(written.Differences, read.Differences);
    }

    [Fact]
    public async Task GetSampleAsync_IdOfAnotherMigrationOrUnknown_ReturnsNull()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("users", [Tally("GET /users", 1, 1, 0, 0)], [Sample("GET /users", "$.name", 0)]));
        var id = Assert.Single(await SamplesOfAsync(store, "users", "GET /users")).Id;

        Assert.NotNull(await store.GetSampleAsync("users", id));
        Assert.Null(await store.GetSampleAsync("orders", id));
        Assert.Null(await store.GetSampleAsync("users", id + 1000));
    }

    [Fact]
    public async Task RecordShadowAsync_NoiseLearnedTwice_StoresItOnceWithTheFirstTime()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 1, 0, 0, 0)], noise: [new NoiseEntry("GET /orders", "header:ETag", At(1))]));

        await store.RecordShadowAsync(Batch(
            "orders",
            noise: [new NoiseEntry("GET /users", "$.at", At(7)), new NoiseEntry("GET /orders", "header:ETag", At(5)), new NoiseEntry("GET /orders", "$.requestId", At(6))]));
        await store.RecordShadowAsync(Batch("users", noise: [new NoiseEntry("GET /orders", "$.other", At(8))]));

        NoiseEntry[] expected =
        [
            new("GET /orders", "$.requestId", Stored(6)),
            new("GET /orders", "header:ETag", Stored(1)),
            new("GET /users", "$.at", Stored(7)),
        ];
        Assert.Equal(expected, await store.GetNoiseAsync("orders"));
        Assert.Equal(expected[..2], Assert.Single((await store.GetDivergencesAsync("orders")).Endpoints).Noise);
    }

    [Fact]
    public async Task GetDivergencesAsync_SeveralEndpointsAndPaths_ListsMostDivergentAndMostFrequentFirst()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch(
            "orders",
            [
                Tally("GET /b", 9, 5, 0, 0),
                Tally("GET /d", 9, 0, 0, 0),
                Tally(
                    "GET /c",
                    9,
                    9,
                    0,
                    0,
                    new PathTally("$.z", DifferenceKind.Added, 2, At(0), At(0)),
                    new PathTally("$.y", DifferenceKind.Missing, 7, At(0), At(0)),
                    new PathTally("$.x", DifferenceKind.ValueChanged, 2, At(0), At(0))),
                Tally("GET /a", 9, 5, 0, 0),
            ]));

        var report = await store.GetDivergencesAsync("orders");

        Assert.Equal(["GET /c", "GET /a", "GET /b", "GET /d"], report.Endpoints.Select(e => e.Endpoint));
        Assert.Equal(["$.y", "$.x", "$.z"], report.Endpoints[0].Paths.Select(p => p.Path));
    }

    [Fact]
    public async Task GetDivergencesAsync_UnknownMigration_ReturnsAnEmptyReport()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 1, 1, 0, 0)], [Sample("GET /orders", "$.id", 0)], [new NoiseEntry("GET /orders", "$.at", At(0))]));

        var report = await store.GetDivergencesAsync("ghost");

        Assert.Equal("ghost", report.Migration);
        Assert.Empty(report.Endpoints);
        Assert.Empty(await store.GetNoiseAsync("ghost"));
    }

    [Fact]
    public async Task Store_DisposedAndReopened_KeepsStatesAndAudit()
    {
        var before = await OpenAsync();
        await before.SeedAsync([Seed("orders")]);
        var changed = await before.ChangeAsync(Change("orders", MigrationMode.Canary, 12.5, reason: "before the restart"));
        var audit = await before.GetAuditAsync(new AuditQuery());
        await before.DisposeAsync();
        opened.Remove(before);

        var after = await OpenAsync();

        Assert.Equal(changed, await after.GetStateAsync("orders"));
        Assert.Equal(audit, await after.GetAuditAsync(new AuditQuery()));
    }

    [Fact]
    public async Task PingAsync_InitializedStore_ReturnsTrue()
    {
        var store = await OpenAsync();

        Assert.True(await store.PingAsync());
    }

    [Fact]
    public async Task InitializeAsync_EmptyDatabase_IsCreatedAfresh_AndAnInitializedOneIsNot()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        Assert.True(first.CreatedAfresh);
        Assert.False(second.CreatedAfresh);
    }

    [Fact]
    public async Task WaitForChangeAsync_NothingChanges_ReturnsFalseAfterTheWait()
    {
        var store = await OpenAsync();

        var told = await store.WaitForChangeAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(told);
    }

    [Fact]
    public async Task SaveMetricsAsync_TwoReplicas_EachKeepsItsOwnRowAndASecondSaveReplacesTheFirst()
    {
        var store = await OpenAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_740_830_400);
        await store.SaveMetricsAsync([new ReplicaBucket("orders", "a", Bucket(start, candidateRequests: 5, candidateErrors: 1))]);
        await store.SaveMetricsAsync(
        [
            new ReplicaBucket("orders", "a", Bucket(start, candidateRequests: 9, candidateErrors: 2)),
            new ReplicaBucket("orders", "b", Bucket(start, candidateRequests: 4, candidateErrors: 4)),
            new ReplicaBucket("billing", "a", Bucket(start.AddSeconds(10), candidateRequests: 1, candidateErrors: 0)),
        ]);

        var stored = await store.GetMetricsAsync(start);

        Assert.Equal(3, stored.Count);
        var a = Assert.Single(stored, b => b.Migration == "orders" && b.Replica == "a");
        Assert.Equal((9L, 2L), (a.Bucket.Candidate.Requests, a.Bucket.Candidate.Errors));
        Assert.Equal(start, a.Bucket.Start);
        Assert.Equal(4, a.Bucket.Candidate.Latency.Count);
        Assert.Equal(a.Bucket.Candidate.Latency.Quantile(0.99), Bucket(start, 9, 2).Candidate.Latency.Quantile(0.99));
        Assert.Equal((3L, 1L), (a.Bucket.Compared, a.Bucket.Divergent));
        Assert.Equal(4, Assert.Single(stored, b => b.Migration == "orders" && b.Replica == "b").Bucket.Candidate.Errors);
    }

    [Fact]
    public async Task GetMetricsAsync_Since_LeavesOutOlderBucketsAndPruneDeletesThem()
    {
        var store = await OpenAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_740_830_400);
        await store.SaveMetricsAsync(
        [
            new ReplicaBucket("orders", "a", Bucket(start, 1, 0)),
            new ReplicaBucket("orders", "a", Bucket(start.AddSeconds(10), 2, 0)),
            new ReplicaBucket("orders", "a", Bucket(start.AddSeconds(20), 3, 0)),
        ]);

        var recent = await store.GetMetricsAsync(start.AddSeconds(10));
        var pruned = await store.PruneMetricsAsync(start.AddSeconds(20));
        var left = await store.GetMetricsAsync(DateTimeOffset.UnixEpoch);

        Assert.Equal([2L, 3L], recent.Select(b => b.Bucket.Candidate.Requests));
        Assert.Equal(2, pruned);
        Assert.Equal(3, Assert.Single(left).Bucket.Candidate.Requests);
    }

    [Fact]
    public async Task TryLeaseAsync_HeldByAnother_IsRefusedUntilItExpiresOrIsReleased()
    {
        var store = await OpenAsync();
        var term = TimeSpan.FromSeconds(15);

        Assert.True(await store.TryLeaseAsync("orchestrator", "a", term));
        Assert.False(await store.TryLeaseAsync("orchestrator", "b", term));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await store.TryLeaseAsync("orchestrator", "a", term));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await store.TryLeaseAsync("orchestrator", "b", term));
        Time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await store.TryLeaseAsync("orchestrator", "b", term));
        Assert.False(await store.TryLeaseAsync("orchestrator", "a", term));
        await store.ReleaseLeaseAsync("orchestrator", "a");
        Assert.False(await store.TryLeaseAsync("orchestrator", "a", term));
        await store.ReleaseLeaseAsync("orchestrator", "b");
        Assert.True(await store.TryLeaseAsync("orchestrator", "a", term));
        Assert.True(await store.TryLeaseAsync("other-job", "b", term));
    }

    [Fact]
    public async Task GetLeaseHolderAsync_NamesTheHolderExpiredOrNotAndNoneOnceReleased()
    {
        var store = (IBackfillStore)await OpenAsync();

        Assert.Null(await store.GetLeaseHolderAsync("backfill:a"));
        Assert.True(await store.TryLeaseAsync("backfill:a", "host:1:run", TimeSpan.FromSeconds(15)));
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("host:1:run", await store.GetLeaseHolderAsync("backfill:a"));
        await store.ReleaseLeaseAsync("backfill:a", "host:1:run");
        Assert.Null(await store.GetLeaseHolderAsync("backfill:a"));
    }

    [Fact]
    public async Task SaveBackfillAsync_KeepsTheThrottleStateUntilARecordWithoutIt()
    {
        var store = (IBackfillStore)await OpenAsync();
        var now = Time.GetUtcNow();
        var record = new BackfillRecord("events", "name: events", BackfillStatus.Running, null, 8, "0", now, now, 0, now, null) { Throttle = "{\"kind\":\"BackingOff\"}" };

        await store.SaveBackfillAsync(record);
        var backingOff = await store.GetBackfillAsync("events");
        await store.SaveBackfillAsync(record with { Throttle = null });
        var cleared = await store.GetBackfillAsync("events");

        Assert.Equal(record.Throttle, backingOff!.Throttle);
        Assert.Null(cleared!.Throttle);
    }

    private static MetricsBucket Bucket(DateTimeOffset start, long candidateRequests, long candidateErrors) => new(
        start,
        new SideBucket(10, 0, HistogramSnapshot.Of([500, 700])),
        new SideBucket(candidateRequests, candidateErrors, HistogramSnapshot.Of([1000, 2000, 2000, 30000])),
        3,
        1);
}
