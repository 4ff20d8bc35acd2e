using Microsoft.Data.Sqlite;

namespace Registry;

/// <summary>
/// Where a registry keeps its registrations. Version 1 keeps a service's address and port in two
/// columns of <c>services</c>; version 2 keeps one <c>endpoint</c> ("host:port") in
/// <c>registrations</c>. Both answer a lookup with the same JSON, so Cutover's shadow run can
/// compare them.
/// </summary>
public sealed class RegistryStore(int version, string path)
{
    /// <summary>How many services a new version-1 registry starts with.</summary>
    public const int Seeded = 200;

    private readonly string _connection = new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    /// <summary>The registry's version, 1 or 2.</summary>
    public int Version => version;

    /// <summary>Creates the table; version 1 starts with <see cref="Seeded"/> services when it has none.</summary>
    public async Task InitializeAsync()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, version == 1
            ? "CREATE TABLE IF NOT EXISTS services (name TEXT PRIMARY KEY NOT NULL, address TEXT NOT NULL, port INTEGER NOT NULL, registered_at INTEGER NOT NULL)"
            : "CREATE TABLE IF NOT EXISTS registrations (service TEXT PRIMARY KEY NOT NULL, endpoint TEXT NOT NULL, registered_at INTEGER NOT NULL)");
        if (version == 1)
        {
            await using var transaction = connection.BeginTransaction();
            for (var i = 1; i <= Seeded; i++)
            {
                await ExecuteAsync(connection,
                    $"INSERT OR IGNORE INTO services (name, address, port, registered_at) VALUES ('svc-{i:000}', '10.0.{i / 250}.{i % 250 + 1}', {8000 + i}, {1_765_000_000 + i})");
            }

            await transaction.CommitAsync();
        }
    }

    /// <summary>A service's registration, or null when the registry does not know it.</summary>
    public async Task<Registration?> FindAsync(string name)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = version == 1
            ? "SELECT address || ':' || port, registered_at FROM services WHERE name = $name"
            : "SELECT endpoint, registered_at FROM registrations WHERE service = $name";
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new Registration(name, reader.GetString(0), reader.GetInt64(1)) : null;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connection);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A service's registration, as both versions answer a lookup.</summary>
public sealed record Registration(string Name, string Endpoint, long RegisteredAt);
