using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Targets;

/// <summary>
/// Writes batches as <c>INSERT … ON CONFLICT (key) DO UPDATE SET …</c>, one statement per row in one
/// transaction per batch: PostgreSQL gets them in one round trip as a <see cref="DbBatch"/>, SQLite
/// (in process, no round trips) runs one prepared statement per row.
/// </summary>
internal sealed class UpsertTarget : IBatchTarget
{
    private readonly DbConnection _connection;
    private readonly BackfillDatabase _database;
    private readonly BackfillJob _job;
    private readonly IReadOnlyList<TableColumn> _columns;
    private readonly string _sql;

    /// <summary>A target over <paramref name="connection"/>, which it owns; <paramref name="columns"/> are the target's columns in the job's column order.</summary>
    public UpsertTarget(DbConnection connection, BackfillDatabase database, BackfillJob job, TableShape table, IReadOnlyList<TableColumn> columns)
    {
        _connection = connection;
        _database = database;
        _job = job;
        _columns = columns;
        var names = columns.Select(c => BackfillDatabase.Quote(c.Name)).ToList();
        var keys = job.KeyColumns.Select(i => names[i]).ToList();
        var updates = names.Where((_, i) => !job.KeyColumns.Contains(i)).Select(n => $"{n} = excluded.{n}").ToList();
        var values = columns.Select((c, i) => database.ParameterFor($"@p{i}", c));
        _sql = $"INSERT INTO {table.SqlName} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)}) " +
               $"ON CONFLICT ({string.Join(", ", keys)}) DO " + (updates.Count == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", updates));
    }

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        if (_connection.CanCreateBatch)
        {
            await using var batch = _connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var row in rows)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = _sql;
                for (var i = 0; i < _columns.Count; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"p{i}";
                    parameter.Value = Convert(row, i);
                    command.Parameters.Add(parameter);
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = _sql;
            var parameters = _columns.Select((_, i) =>
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"p{i}";
                command.Parameters.Add(parameter);
                return parameter;
            }).ToList();
            foreach (var row in rows)
            {
                for (var i = 0; i < parameters.Count; i++)
                {
                    parameters[i].Value = Convert(row, i);
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private object Convert(object?[] row, int column)
    {
        try
        {
            return _database.ToTarget(row[column], _columns[column]);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new RowRejectedException(
                _job.KeyColumns.Select(i => row[i]).ToList(),
                $"cannot be written: target column '{_columns[column].Name}' ({_columns[column].TypeName}) cannot take '{row[column]}' ({e.Message.TrimEnd('.')})",
                $"Convert it in the mapping (columns.{_job.Columns[column].Target}), or fix the source row.",
                e);
        }
    }
}
