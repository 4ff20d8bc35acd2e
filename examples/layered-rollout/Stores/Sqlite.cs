using Microsoft.Data.Sqlite;

namespace LayeredRollout.Stores;

/// <summary>
/// The example's SQLite files, shared by processes: the two services write the legacy table until
/// the point of no return while Cutover's backfill reads it. The tables use write-ahead logging so
/// readers do not wait for a writer, and a command waits up to 10 s for another process's write.
/// </summary>
internal static class Sqlite
{
    public static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 10 }.ToString());
        await connection.OpenAsync();
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
