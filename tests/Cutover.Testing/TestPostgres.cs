using Npgsql;

namespace Cutover.Testing;

/// <summary>
/// A schema of its own on the real PostgreSQL that <c>./test.sh</c> starts on loopback
/// (<c>CUTOVER_TEST_POSTGRES</c>), dropped afterwards.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private const string Variable = "CUTOVER_TEST_POSTGRES";
    private readonly string _server;
    private readonly string _schema = "server_test_" + Guid.NewGuid().ToString("N");

    private TestPostgres(string server) => _server = server;

    /// <summary>The store location: the server with this schema as search path.</summary>
    public string Location => $"{_server};Search Path={_schema}";

    public static async Task<TestPostgres> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set; run ./test.sh, which starts a PostgreSQL on loopback");
        var postgres = new TestPostgres(server);
        await postgres.ExecuteAsync($"CREATE SCHEMA {postgres._schema}");
        return postgres;
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
