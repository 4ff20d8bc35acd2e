using Cutover.Core.Routing;
using Cutover.Core.State;

namespace Cutover.Store.Tests;

/// <summary>
/// What every <see cref="IControlStore"/> must do, run against each real engine by a subclass
/// that provides an empty database per test.
/// </summary>
public abstract class ControlStoreContract : IAsyncLifetime
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
        Assert.Contains("knows versions up to 1", error.Message, StringComparison.Ordinal);
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
    public async Task WaitForChangeAsync_NothingChanges_ReturnsFalseAfterTheWait()
    {
        var store = await OpenAsync();

        var told = await store.WaitForChangeAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(told);
    }
}
