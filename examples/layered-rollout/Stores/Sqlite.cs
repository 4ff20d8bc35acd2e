using Microsoft.Data.Sqlite;

namespace LayeredRollout.Stores;

/// <summary>Opening the example's SQLite files: write-ahead logging, so the services, the backfill and its catch-up passes read while another process writes.</summary>
internal static class Sqlite
{
    public static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 10 }.ToString());
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000");
        return connection;
    }

    public static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
