using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Npgsql;

namespace Cutover.Backfill.Targets;

/// <summary>
/// Writes each batch into PostgreSQL with binary <c>COPY</c> into a temporary staging table, then
/// one <c>INSERT INTO target SELECT … FROM staging ON CONFLICT (key) DO UPDATE …</c>, both in one
/// transaction. COPY moves rows far faster than a statement per row; the INSERT keeps every write
/// the idempotent upsert the engine's crash safety rests on: a batch is all written or not at all,
/// and writing it twice leaves what writing it once does.
/// </summary>
/// <remarks>
/// The staging table is created once per connection, <c>ON COMMIT DELETE ROWS</c>, with each
/// target column's type, except JSON and types outside the families, which are staged as text and
/// cast in the INSERT, as the row-by-row upsert casts them. Values go through the same conversion
/// (<see cref="TargetValues"/>), so both writers store the same values and reject the same rows.
/// The key must be unique within a batch (as the job requires): an INSERT … ON CONFLICT cannot
/// update one row twice.
/// </remarks>
internal sealed class CopyTarget : IBatchTarget
{
    private const string Staging = "cutover_backfill_staging";

    private readonly NpgsqlConnection _connection;
    private readonly TargetValues _values;
    private readonly string _create;
    private readonly string _copy;
    private readonly string _insert;
    private IReadOnlyList<string>? _wireTypes;

    /// <summary>A target over <paramref name="connection"/>, which it owns; <paramref name="columns"/> are the target's columns in the job's column order.</summary>
    public CopyTarget(NpgsqlConnection connection, BackfillDatabase database, BackfillJob job, TableShape table, IReadOnlyList<TableColumn> columns)
    {
        _connection = connection;
        _values = new TargetValues(database, job, columns);
        var names = columns.Select(c => BackfillDatabase.Quote(c.Name)).ToList();
        var staged = columns.Select(c => c.Family is ColumnFamily.Json or ColumnFamily.Other).ToList();
        _create = $"CREATE TEMP TABLE {Staging} ({string.Join(", ", columns.Select((c, i) => $"{names[i]} {(staged[i] ? "text" : c.TypeName)}"))}) ON COMMIT DELETE ROWS";
        _copy = $"COPY {Staging} ({string.Join(", ", names)}) FROM STDIN (FORMAT BINARY)";
        var select = columns.Select((c, i) => staged[i] ? $"CAST({names[i]} AS {c.TypeName})" : names[i]);
        _insert = $"INSERT INTO {TargetValues.Into(table)} ({string.Join(", ", names)}) SELECT {string.Join(", ", select)} FROM {Staging} {_values.ConflictClause()}";
    }

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var wireTypes = _wireTypes ??= await CreateStagingAsync(cancellationToken);
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        await using (var import = await _connection.BeginBinaryImportAsync(_copy, cancellationToken))
        {
            foreach (var row in rows)
            {
                await import.StartRowAsync(cancellationToken);
                for (var i = 0; i < wireTypes.Count; i++)
                {
                    var value = _values.Convert(row, i);
                    if (value is DBNull)
                    {
                        await import.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await import.WriteAsync(value, wireTypes[i], cancellationToken);
                    }
                }
            }

            await import.CompleteAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand(_insert, _connection, transaction))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>Creates the staging table and returns its columns' type names, which tell Npgsql the binary form of each value.</summary>
    private async Task<IReadOnlyList<string>> CreateStagingAsync(CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(_create, _connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var types = new NpgsqlCommand(
            $"SELECT t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = 'pg_temp.{Staging}'::regclass AND a.attnum > 0 ORDER BY a.attnum",
            _connection);
        await using var reader = await types.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
