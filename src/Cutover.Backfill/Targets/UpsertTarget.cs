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
    private readonly TargetValues _values;
    private readonly IReadOnlyList<TableColumn> _columns;
    private readonly string _sql;

    /// <summary>
    /// A target over <paramref name="connection"/>, which it owns; <paramref name="columns"/> are the
    /// target's columns in the job's column order. <paramref name="replaceEqual"/> is for a repair:
    /// with <c>onConflict.keepNewer</c>, a row as new as the existing one replaces it too.
    /// </summary>
    public UpsertTarget(DbConnection connection, BackfillDatabase database, BackfillJob job, TableShape table, IReadOnlyList<TableColumn> columns, bool replaceEqual = false)
    {
        _connection = connection;
        _values = new TargetValues(database, job, columns);
        _columns = columns;
        var names = columns.Select(c => BackfillDatabase.Quote(c.Name));
        var values = columns.Select((c, i) => database.ParameterFor($"@p{i}", c));
        _sql = $"INSERT INTO {TargetValues.Into(table)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)}) {_values.ConflictClause(replaceEqual)}";
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

    private object Convert(object?[] row, int column) => _values.Convert(row, column);
}
