using System.Data.Common;
using System.Globalization;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cutover.Backfill.Tests.Infrastructure;

/// <summary>
/// A real database for a test: a SQLite file in a folder of its own, or a schema of its own on the
/// PostgreSQL that <c>./test.sh</c> starts. Dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly TestPostgres? _postgres;

    private TestDatabase(string engine, string location, string? folder, TestPostgres? postgres)
    {
        Engine = engine;
        Location = location;
        _folder = folder;
        _postgres = postgres;
    }

    /// <summary>"sqlite" or "postgres".</summary>
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

    public async ValueTask DisposeAsync()
    {
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

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsSqlite ? new SqliteConnection("Data Source=" + Location["sqlite:".Length..]) : new NpgsqlConnection(Location);
        await connection.OpenAsync();
        return connection;
    }
}
