using Cutover.Core.State;
using Cutover.Kernel.Routing;
using Cutover.Store.Opening;
using Npgsql;

namespace Cutover.Store.Tests.Postgres;

/// <summary>
/// The store contract on a real PostgreSQL, in a schema of its own per test. The server comes
/// from <c>CUTOVER_TEST_POSTGRES</c>, which <c>./test.sh</c> sets by running scripts/postgres.sh.
/// </summary>
public sealed class PostgresControlStoreTests : ControlStoreContract
{
    private const string Variable = "CUTOVER_TEST_POSTGRES";

    private readonly string schema = "test_" + Guid.NewGuid().ToString("N");
    private string server = string.Empty;

    protected override string Location => $"{server};Search Path={schema}";

    protected override async Task CreateDatabaseAsync()
    {
        server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set; run ./test.sh, which starts a PostgreSQL on loopback");
        await ExecuteOnServerAsync($"CREATE SCHEMA {schema}");
    }

    protected override Task DropDatabaseAsync() =>
        server.Length == 0 ? Task.CompletedTask : ExecuteOnServerAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Location);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task InitializeAsync_DatabaseMissing_ThrowsStoreUnavailableNamingDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "no_such_database" };
        await using var store = ControlStoreFactory.Create(builder.ConnectionString, Time);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync());

        Assert.Contains($"The control store {store.Description} is unavailable", error.Message, StringComparison.Ordinal);
        Assert.Contains("Create the database 'no_such_database' on 127.0.0.1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_UnknownUser_ThrowsStoreUnavailableAskingToCheckCredentials()
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Username = "no_such_user" };
        await using var store = ControlStoreFactory.Create(builder.ConnectionString, Time);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync());

        Assert.Contains("role \"no_such_user\" does not exist", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check the user name and password in the connection string.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForChangeAsync_ChangeCommittedByAnotherStore_ReturnsTrueWithoutWaitingOut()
    {
        var listener = await OpenAsync();
        var writer = await OpenAsync();
        await writer.SeedAsync([new("orders", "seed", MigrationMode.Legacy, Weight.Zero, "cutover", "test")]);
        await listener.WaitForChangeAsync(TimeSpan.FromMilliseconds(50)); // starts listening; may consume the seed's notice
        await listener.WaitForChangeAsync(TimeSpan.FromMilliseconds(50));

        var waiting = listener.WaitForChangeAsync(TimeSpan.FromSeconds(60));
        await writer.ChangeAsync(new StateChange("orders", "rollback", MigrationMode.Legacy, Weight.Zero, "alice", "test"));

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
