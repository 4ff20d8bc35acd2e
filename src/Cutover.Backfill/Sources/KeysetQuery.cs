using System.Data.Common;
using System.Globalization;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Sources;

/// <summary>
/// The SQL of reading a job's mapped rows page by page in key order, shared by the SELECT reader and
/// the binary COPY reader so both read exactly the same rows in the same order: the mapped columns,
/// <c>WHERE (k1, k2) &gt; (…)</c> after the last key (and, in a catch-up pass, the change column
/// above the mark), <c>ORDER BY k1, k2 LIMIT n</c>.
/// </summary>
internal sealed class KeysetQuery
{
    private readonly string _from;
    private readonly string _select;
    private readonly string _order;
    private readonly string? _changedColumn;

    /// <summary>
    /// The query for <paramref name="job"/>; <paramref name="from"/> is the table (as SQL) or null for the job's query.
    /// With <paramref name="changedSince"/> (a catch-up pass) only rows whose change column is above its mark are read (any with one when it is null).
    /// </summary>
    public KeysetQuery(BackfillJob job, string? from, ChangedSince? changedSince)
    {
        _from = from ?? $"({job.SourceQuery})";
        _select = string.Join(", ", job.Columns.Select(c => c.IsColumn ? "src." + BackfillDatabase.Quote(c.Expression) : $"({c.Expression})"));
        _order = string.Join(", ", job.Key.Select(k => "src." + BackfillDatabase.Quote(k)));
        KeyCount = job.Key.Count;
        if (changedSince is not null)
        {
            _changedColumn = "src." + BackfillDatabase.Quote(job.ChangeColumn!);
            Mark = changedSince.Mark;
        }
    }

    /// <summary>How many columns the key has.</summary>
    public int KeyCount { get; }

    /// <summary>The catch-up pass's mark, which every page compares the change column with; null when there is none to compare with.</summary>
    public object? Mark { get; }

    /// <summary>How many rows the source has in all (in a catch-up pass, how many changed since the mark).</summary>
    public async Task<long> CountAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {_from} AS src{Where(null, "@changed")}";
        BindMark(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The mapped columns without rows, for learning their types.</summary>
    public string Shape => $"SELECT {_select} FROM {_from} AS src LIMIT 0";

    /// <summary>
    /// One page: up to <paramref name="limit"/> rows after the key whose values are written as
    /// <paramref name="after"/> (parameter names or literals, in key order), or from the first row when null;
    /// <paramref name="mark"/> is how <see cref="Mark"/> is written, when there is one.
    /// </summary>
    public string Page(IReadOnlyList<string>? after, string? mark, int limit) =>
        $"SELECT {_select} FROM {_from} AS src{Where(after, mark)} ORDER BY {_order} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Binds <see cref="Mark"/> as <c>@changed</c>, when there is one.</summary>
    public void BindMark(DbCommand command)
    {
        if (Mark is not null)
        {
            Bind(command, "changed", Mark);
        }
    }

    /// <summary>Adds the parameter <paramref name="name"/> with <paramref name="value"/> (null as SQL NULL) to <paramref name="command"/>.</summary>
    public static void Bind(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private string Where(IReadOnlyList<string>? after, string? mark)
    {
        var changed = _changedColumn is null ? null : Mark is null ? $"{_changedColumn} IS NOT NULL" : $"{_changedColumn} > {mark}";
        var conditions = new[] { after is null ? null : $"({_order}) > ({string.Join(", ", after)})", changed }.OfType<string>().ToList();
        return conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
    }
}
