using System.Data.Common;

namespace Cutover.Store.Sql;

/// <summary>
/// Running one statement with named parameters on an open connection, the same on every engine;
/// a null value is sent as SQL NULL.
/// </summary>
internal static class SqlCommands
{
    /// <summary>Runs a statement that returns no rows; returns how many rows it changed.</summary>
    public static async Task<int> ExecuteAsync(
        this DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads every row of a query outside any transaction.</summary>
    public static Task<List<T>> QueryAsync<T>(
        this DbConnection connection, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        connection.QueryAsync(null, sql, read, cancellationToken, parameters);

    /// <summary>Reads every row of a query.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        this DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first column of the first row, or null when there is none.</summary>
    public static async Task<object?> ScalarAsync(
        this DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>A command for <paramref name="sql"/> in <paramref name="transaction"/> (none: outside any), for a caller that reads it itself.</summary>
    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
