using Cutover.Core.State;
using Cutover.Kernel.Routing;
using Cutover.Store.Opening;
using Cutover.Store.Schema;
using Cutover.Testing;

namespace Cutover.Store.Tests;

/// <summary>
/// What every store must do, run against each real engine by a subclass that provides an empty
/// database per test: one suite, with a partial file per role of the store (migration state with
/// audit, shadow evidence, metrics buckets, leases, backfill, tokens) and the schema, the ping and
/// reopening here.
/// </summary>
public abstract partial class ControlStoreContract : IAsyncLifetime
{
    /// <summary>The clock's start, with ticks below a millisecond that the store must drop.</summary>
    private static readonly DateTimeOffset Start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);

    private static readonly DateTimeOffset StartInMilliseconds = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly List<IControlStore> opened = [];

    protected ManualWallClock Time { get; } = new(Start);

    /// <summary>The location of this test's empty database, as given to <see cref="ControlStoreFactory"/>.</summary>
    protected abstract string Location { get; }

    /// <summary>Creates this test's empty database.</summary>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>Removes this test's database.</summary>
    protected abstract Task DropDatabaseAsync();

    /// <summary>Runs SQL against this test's database behind the store's back.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>
    /// Takes this test's database back to what a build at <paramref name="version"/> (11 or later)
    /// left, keeping its rows: undoes every later schema step, newest first.
    /// </summary>
    protected Task RewindSchemaAsync(int version)
    {
        Assert.True(SchemaUndo[0].Version == StoreSchema.CurrentVersion, $"schema step {StoreSchema.CurrentVersion} has no undo in ControlStoreContract.SchemaUndo");
        Assert.InRange(version, SchemaUndo[^1].Version - 1, StoreSchema.CurrentVersion);
        var undo = string.Concat(SchemaUndo.Where(s => s.Version > version).Select(s => s.Sql));
        return ExecuteSqlAsync($"{undo} DELETE FROM schema_version WHERE version > {version};");
    }

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
        new(name, "seed", mode, Weight.FromPercent(weight), "cutover", "from cutover.yaml");

    private static StateChange Change(string name, MigrationMode mode, double weight, long? expectedVersion = null, string reason = "") =>
        new(name, "weight", mode, Weight.FromPercent(weight), "alice", reason, expectedVersion);

    /// <summary>A time <paramref name="minutes"/> after the start, with the start's ticks below a millisecond.</summary>
    private static DateTimeOffset At(int minutes) => Start.AddMinutes(minutes);

    /// <summary>What the store gives back for <see cref="At"/>: the same time in whole milliseconds.</summary>
    // What each schema step from 12 on added, newest first: the SQL that removes it again.
    private static readonly (int Version, string Sql)[] SchemaUndo =
    [
        (14, "ALTER TABLE rollouts DROP COLUMN trigger_holds;"),
        (13, "ALTER TABLE backfill_jobs DROP COLUMN last_verify; ALTER TABLE backfill_jobs DROP COLUMN source_rows;"),
        (12, "ALTER TABLE metric_buckets DROP COLUMN rescued;"),
    ];

    private static DateTimeOffset Stored(int minutes) => StartInMilliseconds.AddMinutes(minutes);

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
}
