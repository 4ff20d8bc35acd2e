using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Targets;

/// <summary>
/// Turns a mapped row's values into what the target's columns take, the same way for every writer,
/// so the row-by-row upsert and the binary COPY write the same values and reject the same rows
/// with the same message (the row's key, the column, the value and the fix).
/// </summary>
internal sealed class TargetValues(BackfillDatabase database, BackfillJob job, IReadOnlyList<TableColumn> columns)
{
    /// <summary>The value of <paramref name="column"/> in <paramref name="row"/> as the target takes it; <see cref="DBNull"/> for null.</summary>
    public object Convert(object?[] row, int column)
    {
        try
        {
            return database.ToTarget(row[column], columns[column]);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new RowRejectedException(
                [.. job.KeyColumns.Select(i => row[i])],
                $"cannot be written: target column '{columns[column].Name}' ({columns[column].TypeName}) cannot take '{row[column]}' ({e.Message.TrimEnd('.')})",
                $"Convert it in the mapping (columns.{job.Columns[column].Target}), or fix the source row.",
                e);
        }
    }

    /// <summary>The name the conflict clause gives the existing target row: <c>INSERT INTO table AS existing</c>.</summary>
    private const string Existing = "existing";

    /// <summary>The target table as an INSERT names it, aliased so the conflict clause can name the existing row whatever the table is called.</summary>
    public static string Into(TableShape table) => $"{table.SqlName} AS {Existing}";

    /// <summary>
    /// <c>ON CONFLICT (key columns) DO UPDATE SET</c> every other column from <c>excluded</c> (or
    /// <c>DO NOTHING</c> when every column is a key): what makes each write an idempotent upsert.
    /// With the job's <c>onConflict.keepNewer</c>, the update applies only where the incoming
    /// row is newer (<see cref="Newer"/>), so a row the target got from elsewhere later is kept.
    /// </summary>
    /// <param name="replaceEqual">Whether a row whose keepNewer value equals the existing row's replaces it: a repair's rewrite of a row verify found different, where neither side is newer.</param>
    public string ConflictClause(bool replaceEqual = false)
    {
        var names = columns.Select(c => BackfillDatabase.Quote(c.Name)).ToList();
        var keys = job.KeyColumns.Select(i => names[i]);
        var updates = names.Where((_, i) => !job.KeyColumns.Contains(i)).Select(n => $"{n} = excluded.{n}").ToList();
        var when = job.KeepNewerColumn is { } version ? " WHERE " + Newer(names[version], replaceEqual) : string.Empty;
        return $"ON CONFLICT ({string.Join(", ", keys)}) DO " + (updates.Count == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", updates) + when);
    }

    /// <summary>
    /// Whether the incoming row is newer than the existing one by <paramref name="column"/>, null
    /// being older than any value: an existing null is replaced by a value, an incoming null
    /// replaces nothing (but another null, with <paramref name="replaceEqual"/>).
    /// </summary>
    private static string Newer(string column, bool replaceEqual) => replaceEqual
        ? $"(excluded.{column} >= {Existing}.{column} OR {Existing}.{column} IS NULL)"
        : $"(excluded.{column} > {Existing}.{column} OR ({Existing}.{column} IS NULL AND excluded.{column} IS NOT NULL))";
}
