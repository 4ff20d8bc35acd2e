using System.Data.Common;
using System.Globalization;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Sources;

/// <summary>
/// The SQL of reading a job's mapped rows page by page in key order, shared by the SELECT reader and
/// the binary COPY reader so both read exactly the same rows in the same order: the mapped columns,
/// <c>WHERE (k1, k2) &gt; (…)</c> after the last key, <c>ORDER BY k1, k2 LIMIT n</c>.
/// </summary>
internal sealed class KeysetQuery
{
    private readonly string _from;
    private readonly string _select;
    private readonly string _order;

    /// <summary>The query for <paramref name="job"/>; <paramref name="from"/> is the table (as SQL) or null for the job's query.</summary>
    public KeysetQuery(BackfillJob job, string? from)
    {
        _from = from ?? $"({job.SourceQuery})";
        _select = string.Join(", ", job.Columns.Select(c => c.IsColumn ? "src." + BackfillDatabase.Quote(c.Expression) : $"({c.Expression})"));
        _order = string.Join(", ", job.Key.Select(k => "src." + BackfillDatabase.Quote(k)));
        KeyCount = job.Key.Count;
    }

    /// <summary>How many columns the key has.</summary>
    public int KeyCount { get; }

    /// <summary>How many rows the source has in all.</summary>
    public async Task<long> CountAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {_from} AS src";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The mapped columns without rows, for learning their types.</summary>
    public string Shape => $"SELECT {_select} FROM {_from} AS src LIMIT 0";

    /// <summary>
    /// One page: up to <paramref name="limit"/> rows after the key whose values are written as
    /// <paramref name="after"/> (parameter names or literals, in key order), or from the first row when null.
    /// </summary>
    public string Page(IReadOnlyList<string>? after, int limit)
    {
        var where = after is null ? string.Empty : $" WHERE ({_order}) > ({string.Join(", ", after)})";
        return $"SELECT {_select} FROM {_from} AS src{where} ORDER BY {_order} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
    }
}
