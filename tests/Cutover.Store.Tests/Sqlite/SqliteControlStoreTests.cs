using System.Diagnostics;
using Cutover.Core.State;
using Cutover.Kernel.Routing;
using Cutover.Store.Opening;
using Microsoft.Data.Sqlite;

namespace Cutover.Store.Tests.Sqlite;

/// <summary>The store contract on a SQLite file of its own per test, plus what only SQLite does.</summary>
public sealed class SqliteControlStoreTests : ControlStoreContract
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cutover-store-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(folder, "cutover.db");

    protected override string Location => "sqlite:" + DatabasePath;

    protected override Task CreateDatabaseAsync()
    {
        Directory.CreateDirectory(folder);
        return Task.CompletedTask;
    }

    protected override Task DropDatabaseAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task InitializeAsync_NewFile_EnablesWriteAheadLog()
    {
        await OpenAsync();

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task InitializeAsync_FolderMissing_ThrowsStoreUnavailableNamingStoreAndFolder()
    {
        var missing = Path.Combine(folder, "missing");
        var store = ControlStoreFactory.Create($"sqlite:{missing}/cutover.db", Time);
        await using var _ = store;

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync());

        Assert.Contains($"The control store sqlite:{missing}/cutover.db is unavailable", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Check that the folder {missing} exists and is writable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PingAsync_FolderMissing_ReturnsFalse()
    {
        await using var store = ControlStoreFactory.Create($"sqlite:{folder}/missing/cutover.db", Time);

        Assert.False(await store.PingAsync());
    }

    [Fact]
    public async Task InitializeAsync_FileIsNotADatabase_ThrowsStoreUnavailable()
    {
        await File.WriteAllTextAsync(DatabasePath, "orders: this is a YAML file, not a database\n" + new string('x', 4096));
        await using var store = ControlStoreFactory.Create(Location, Time);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync());

        Assert.Contains($"Check that {DatabasePath} is a Cutover SQLite database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeAsync_FileReplacedByAnotherDatabaseWhileOpen_ThrowsUnavailableNamingTheFile()
    {
        var store = await OpenAsync();
        await store.SeedAsync([new StateChange("orders", "seed", MigrationMode.Canary, (Weight)10, "cutover", "from cutover.yaml")]);

        // Another database moved over the path: not missing, not empty, but not the file the store opened.
        var other = Path.Combine(folder, "other.db");
        await using (var connection = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }

        File.Move(other, DatabasePath, overwrite: true);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => store.ChangeAsync(new StateChange("orders", "weight", MigrationMode.Canary, (Weight)20, "alice", "after the file was replaced")));
        Assert.Contains($"The control store {Location} is unavailable: its file {DatabasePath} was replaced by another file while Cutover ran", error.Message, StringComparison.Ordinal);
        Assert.False(await store.PingAsync());
    }

    [Fact]
    public async Task ChangeAsync_FileDeletedWhileOpen_ThrowsUnavailableNamingTheFile_AndPingIsFalse()
    {
        var store = await OpenAsync();
        await store.SeedAsync([new StateChange("orders", "seed", MigrationMode.Canary, (Weight)10, "cutover", "from cutover.yaml")]);

        foreach (var file in Directory.GetFiles(folder))
        {
            File.Delete(file);
        }

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => store.ChangeAsync(new StateChange("orders", "weight", MigrationMode.Canary, (Weight)20, "alice", "after the file went")));
        Assert.Contains($"The control store {Location} is unavailable: its file {DatabasePath} was deleted while Cutover ran", error.Message, StringComparison.Ordinal);
        Assert.Contains("Put the file back from a backup and restart Cutover", error.Message, StringComparison.Ordinal);
        Assert.False(await store.PingAsync());
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task PingAsync_AnotherConnectionHoldsTheWriteLock_ReturnsFalseWithinItsTimeout()
    {
        var store = await OpenAsync();
        await using var holder = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await holder.OpenAsync();
        using var locked = holder.BeginTransaction(deferred: false);

        var clock = Stopwatch.StartNew();
        var ready = await store.PingAsync();
        var waited = clock.Elapsed;
        locked.Rollback();

        Assert.False(ready);
        Assert.InRange(waited, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4.5));
        Assert.True(await store.PingAsync());
    }
}
