using System.Data.Common;
using System.Globalization;
using Cutover.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cutover.Backfill.Tests.Infrastructure;

/// <summary>
/// A real database for a test: a SQLite file in a folder of its own, a schema of its own on the
/// PostgreSQL that <c>./test.sh</c> starts, or (engine "postgres-database") a whole database of its
/// own there, which a test can cut off without touching anyone else's connections. Dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly TestPostgres? _postgres;
    private readonly string? _database;

    private TestDatabase(string engine, string location, string? folder, TestPostgres? postgres, string? database = null)
    {
        _database = database;
        Engine = engine;
        Location = location;
        _folder = folder;
        _postgres = postgres;
    }

    /// <summary>"sqlite", "postgres" or "postgres-database".</summary>
    public string Engine { get; }

    /// <summary>The location a job file names it by.</summary>
    public string Location { get; }

    public bool IsSqlite => Engine == "sqlite";

    public static async Task<TestDatabase> CreateAsync(string engine)
    {
        if (engine == "postgres")
        {
            var postgres = await TestPostgres.CreateAsync();
            return new TestDatabase(engine, postgres.Location, null, postgres);
        }

        if (engine == "postgres-database")
        {
            var database = "backfill_test_" + Guid.NewGuid().ToString("N");
            await ServerAsync($"CREATE DATABASE {database}");
            return new TestDatabase(engine, new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString, null, null, database);
        }

        var folder = Directory.CreateTempSubdirectory("cutover-backfill-").FullName;
        var path = Path.Combine(folder, "data.db");
        await using (var create = new SqliteConnection($"Data Source={path}"))
        {
            await create.OpenAsync();
        }

        return new TestDatabase(engine, "sqlite:" + path, folder, null);
    }

    /// <summary>Runs SQL; <paramref name="sqlite"/> on SQLite, <paramref name="postgres"/> (or the same) on PostgreSQL.</summary>
    public async Task ExecuteAsync(string sqlite, string? postgres = null)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = IsSqlite ? sqlite : postgres ?? sqlite;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Each row of a query as "a|b|c", booleans as 1 and 0, so rows read alike from either engine.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i) switch
            {
                bool flag => flag ? "1" : "0",
                IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
                var value => value.ToString(),
            })));
        }

        return rows;
    }

    /// <summary>Ends every connection to this database (engine "postgres-database"), as a server restart or a network cut would.</summary>
    public async Task TerminateConnectionsAsync()
    {
        await ServerAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database}' AND pid <> pg_backend_pid()");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Lets new connections in, or refuses them as a database that is down would (engine "postgres-database").</summary>
    public Task AllowConnectionsAsync(bool allow) => ServerAsync($"ALTER DATABASE {_database} ALLOW_CONNECTIONS {(allow ? "true" : "false")}");

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ServerAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Server => Environment.GetEnvironmentVariable("CUTOVER_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("CUTOVER_TEST_POSTGRES is not set; run ./test.sh, which starts a PostgreSQL on loopback");

    private static async Task ServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsSqlite ? new SqliteConnection("Data Source=" + Location["sqlite:".Length..]) : new NpgsqlConnection(Location);
        await connection.OpenAsync();
        return connection;
    }
}
