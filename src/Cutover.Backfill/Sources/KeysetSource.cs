using System.Data.Common;
using System.Globalization;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Sources;

/// <summary>
/// Reads batches by keyset pagination: <c>WHERE (k1, k2) &gt; (@k1, @k2) ORDER BY k1, k2 LIMIT n</c>.
/// Unlike OFFSET, each batch costs the same however far into the table it is (an index on the
/// key serves it), and rows inserted or deleted behind the cursor do not shift the pages ahead.
/// Both SQLite and PostgreSQL accept the row-value comparison, so the SQL is written once.
/// </summary>
internal sealed class KeysetSource : IBatchSource
{
    private readonly DbConnection _connection;
    private readonly string _from;
    private readonly string _select;
    private readonly string _order;
    private readonly string _after;
    private readonly string? _changed;
    private readonly object? _changedAfter;

    /// <summary>
    /// A source over <paramref name="connection"/>, which it owns; <paramref name="from"/> is the table (as SQL) or null for the job's query.
    /// With <paramref name="changedSince"/> (a catch-up pass) only rows whose change column is above its value are read (any with one when it is null).
    /// </summary>
    public KeysetSource(DbConnection connection, BackfillJob job, string? from, ChangedSince? changedSince = null)
    {
        _connection = connection;
        _from = from ?? $"({job.SourceQuery})";
        var keys = job.Key.Select(k => "src." + BackfillDatabase.Quote(k)).ToList();
        _select = string.Join(", ", job.Columns.Select(c => c.IsColumn ? "src." + BackfillDatabase.Quote(c.Expression) : $"({c.Expression})"));
        _order = string.Join(", ", keys);
        _after = $"({_order}) > ({string.Join(", ", job.Key.Select((_, i) => $"@k{i}"))})";
        if (changedSince is not null)
        {
            var column = "src." + BackfillDatabase.Quote(job.ChangeColumn!);
            _changed = changedSince.Mark is null ? $"{column} IS NOT NULL" : $"{column} > @changed";
            _changedAfter = changedSince.Mark;
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {_from} AS src{Where(null)}";
        AddChanged(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<object?[]>> ReadAsync(IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {_select} FROM {_from} AS src{Where(after)} ORDER BY {_order} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
        AddChanged(command);
        for (var i = 0; after is not null && i < after.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"k{i}";
            parameter.Value = after[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return await RowReader.ReadAsync(command, limit, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private string Where(IReadOnlyList<object?>? after)
    {
        var conditions = new[] { after is null ? null : _after, _changed }.OfType<string>().ToList();
        return conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
    }

    private void AddChanged(DbCommand command)
    {
        if (_changedAfter is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "changed";
            parameter.Value = _changedAfter;
            command.Parameters.Add(parameter);
        }
    }
}
