using System.Data.Common;
using System.Globalization;
using Cutover.Backfill.Databases;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// Reads the target's rows of one key range, <c>WHERE (k1, k2) &gt; (@a0, @a1) AND (k1, k2) &lt;= (@b0, @b1)</c>,
/// in key order: the target half of a verify chunk. Bounds are bound as the target's key columns
/// take them (the upsert's conversions and casts), so a source's text UUID finds a uuid column.
/// It also deletes target rows by key, for a repair that applies the source's deletions.
/// </summary>
internal sealed class TargetRange
{
    private readonly DbConnection _connection;
    private readonly BackfillDatabase _database;
    private readonly TargetForm _form;
    private readonly IReadOnlyList<TableColumn> _keys;
    private readonly string _select;
    private readonly string _order;
    private readonly string _delete;

    public TargetRange(DbConnection connection, BackfillDatabase database, string table, TargetForm form, IReadOnlyList<int> keyColumns)
    {
        _connection = connection;
        _database = database;
        _form = form;
        _keys = [.. keyColumns.Select(i => form.Columns[i])];
        _order = string.Join(", ", _keys.Select(k => BackfillDatabase.Quote(k.Name)));
        _select = $"SELECT {string.Join(", ", form.Columns.Select(c => BackfillDatabase.Quote(c.Name)))} FROM {table}";
        _delete = $"DELETE FROM {table} WHERE ";
    }

    /// <summary>
    /// The rows with a key above <paramref name="after"/> (from the first when null) and up to
    /// <paramref name="upTo"/> (to the last when null), at most <paramref name="limit"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<object?[]>> ReadAsync(object?[]? after, object?[]? upTo, int? limit, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        var conditions = new List<string>();
        if (after is not null)
        {
            conditions.Add($"({_order}) > ({Bind(command, "a", after)})");
        }

        if (upTo is not null)
        {
            conditions.Add($"({_order}) <= ({Bind(command, "b", upTo)})");
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        var top = limit is { } n ? " LIMIT " + n.ToString(CultureInfo.InvariantCulture) : string.Empty;
        command.CommandText = $"{_select}{where} ORDER BY {_order}{top}";
        return await RowReader.ReadAsync(command, limit ?? 0, cancellationToken);
    }

    /// <summary>
    /// Deletes the target rows with the keys of <paramref name="rows"/> (read from the target) in one
    /// transaction, so a chunk's deletions are all applied or none; returns how many rows went.
    /// </summary>
    public async Task<long> DeleteAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        long deleted = 0;
        foreach (var row in rows)
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"{_delete}({_order}) = ({Bind(command, "k", _form.Key(row))})";
            deleted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private string Bind(DbCommand command, string prefix, object?[] key)
    {
        var names = new List<string>();
        for (var i = 0; i < key.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"{prefix}{i}";
            parameter.Value = _database.ToTarget(key[i], _keys[i]);
            command.Parameters.Add(parameter);
            names.Add(_database.ParameterFor("@" + parameter.ParameterName, _keys[i]));
        }

        return string.Join(", ", names);
    }
}
