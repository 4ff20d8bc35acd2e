using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Schema;

/// <summary>
/// Checks a job against both real databases before the first row moves, and names every
/// mismatch at once: a missing table or column, an expression the source rejects, a target
/// column that needs a value and gets none, no unique key on the target for the upsert, and
/// types that cannot be copied into each other.
/// </summary>
internal static class SchemaCheck
{
    public static async Task<CheckedSchema> RunAsync(
        BackfillJob job, BackfillDatabase source, DbConnection sourceConnection, BackfillDatabase target, DbConnection targetConnection, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var (from, sourceColumns) = await SourceColumnsAsync(job, source, sourceConnection, problems, cancellationToken);
        if (sourceColumns is not null)
        {
            foreach (var key in job.Key.Where(k => !sourceColumns.ContainsKey(k)))
            {
                problems.Add($"source.key: column '{key}' does not exist in {job.SourceLabel} of {source.Location}; {Columns(sourceColumns.Keys)}.");
            }

            if (job.ChangeColumn is { } change && !sourceColumns.ContainsKey(change))
            {
                problems.Add($"changeColumn: column '{change}' does not exist in {job.SourceLabel} of {source.Location}; {Columns(sourceColumns.Keys)}.");
            }

            foreach (var column in job.Columns)
            {
                if (column.IsColumn && !sourceColumns.ContainsKey(column.Expression))
                {
                    problems.Add($"columns.{column.Target}: source column '{column.Expression}' does not exist in {job.SourceLabel} of {source.Location}; {Columns(sourceColumns.Keys)}.");
                }
                else if (!column.IsColumn && await ExpressionProblemAsync(sourceConnection, from ?? $"({job.SourceQuery})", column.Expression, cancellationToken) is { } problem)
                {
                    problems.Add($"columns.{column.Target}: the expression \"{column.Expression}\" fails on {source.Location}: {problem}. Fix the SQL, or name a source column.");
                }
            }
        }

        var table = await target.DescribeAsync(targetConnection, job.TargetTable, cancellationToken);
        var targetColumns = new List<TableColumn>();
        if (table is null)
        {
            problems.Add($"target.table: table '{job.TargetTable}' does not exist in {target.Location}; create it first (the backfill writes into an existing table).");
        }
        else
        {
            foreach (var column in job.Columns)
            {
                if (table.Find(column.Target) is not { } found)
                {
                    problems.Add($"columns.{column.Target}: target column '{column.Target}' does not exist in table '{job.TargetTable}' of {target.Location}; {Columns(table.Columns.Select(c => c.Name))}.");
                    continue;
                }

                targetColumns.Add(found);
                if (column.IsColumn && sourceColumns?.GetValueOrDefault(column.Expression) is { } sourceColumn && !TypeCompatibility.CanCopy(sourceColumn.Family, found.Family))
                {
                    problems.Add(
                        $"columns.{column.Target}: source column '{column.Expression}' ({sourceColumn.TypeName}) cannot be copied into target column '{found.Name}' ({found.TypeName}); " +
                        $"convert it with an SQL expression, e.g. \"{column.Target}: CAST({column.Expression} AS ...)\".");
                }
            }

            if (job.KeepNewer is { } version && table.Find(version) is { } versionColumn && !Orders(target, versionColumn.Family))
            {
                var text = target is SqliteDatabase ? ", or text on SQLite (ISO times compare as text)" : string.Empty;
                problems.Add(
                    $"onConflict.keepNewer: target column '{versionColumn.Name}' ({versionColumn.TypeName}) does not say which row is newer; name a column of numbers or times{text}, " +
                    "e.g. an updated_at timestamp or a version number raised by every write.");
            }

            foreach (var required in table.Columns.Where(c => c.Required && !job.Columns.Any(m => string.Equals(m.Target, c.Name, StringComparison.OrdinalIgnoreCase))))
            {
                problems.Add($"columns: target column '{required.Name}' is NOT NULL without a default and gets no value; map it, e.g. '{required.Name}: SOURCE_COLUMN'.");
            }

            var keyTargets = job.KeyColumns.Select(i => job.Columns[i].Target).ToList();
            if (targetColumns.Count == job.Columns.Count && !table.UniqueKeys.Any(k => SameColumns(k, keyTargets)))
            {
                var existing = table.UniqueKeys.Count == 0
                    ? "it has none"
                    : "its unique keys are " + string.Join(", ", table.UniqueKeys.Select(k => "(" + string.Join(", ", k) + ")"));
                problems.Add(
                    $"target.table: table '{job.TargetTable}' has no primary key or unique constraint on ({string.Join(", ", keyTargets)}), which the upsert needs to find rows copied before ({existing}); " +
                    $"add one, e.g. CREATE UNIQUE INDEX ON {job.TargetTable} ({string.Join(", ", keyTargets)}), or choose source.key to match an existing one.");
            }
        }

        if (problems.Count > 0)
        {
            throw new SchemaMismatchException(job.Name, problems);
        }

        return new CheckedSchema(from, table!, targetColumns);
    }

    /// <summary>The source's columns by name, or null when the table or query is not there to look at (already reported).</summary>
    private static async Task<(string? From, Dictionary<string, TableColumn>? Columns)> SourceColumnsAsync(
        BackfillJob job, BackfillDatabase source, DbConnection connection, List<string> problems, CancellationToken cancellationToken)
    {
        if (job.SourceTable is { } name)
        {
            if (await source.DescribeAsync(connection, name, cancellationToken) is not { } table)
            {
                problems.Add($"source.table: table '{name}' does not exist in {source.Location}; check the name, or use source.query.");
                return (null, null);
            }

            return (table.SqlName, table.Columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase));
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM ({job.SourceQuery}) AS src LIMIT 0";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var columns = new Dictionary<string, TableColumn>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                // A query's result types are not compared: SQLite knows none for expressions, and guessing would report mismatches that are not.
                columns.TryAdd(reader.GetName(i), new TableColumn(reader.GetName(i), string.Empty, ColumnFamily.Other, Required: false));
            }

            return (null, columns);
        }
        catch (DbException e)
        {
            problems.Add($"source.query: the query fails on {source.Location}: {e.Message.TrimEnd('.')}. Fix the SQL; it must be a SELECT that can be used as a subquery.");
            return (null, null);
        }
    }

    private static async Task<string?> ExpressionProblemAsync(DbConnection connection, string from, string expression, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT ({expression}) FROM {from} AS src LIMIT 0";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return null;
        }
        catch (DbException e)
        {
            return e.Message.TrimEnd('.');
        }
    }

    /// <summary>
    /// Whether the database's <c>&gt;</c> on a column of <paramref name="family"/> orders values the way
    /// verify does (<c>VersionOrder</c>): numbers and times; text only on SQLite, whose default collation
    /// compares codes, where PostgreSQL's depends on the database's locale.
    /// </summary>
    private static bool Orders(BackfillDatabase target, ColumnFamily family) =>
        family is ColumnFamily.Integer or ColumnFamily.Decimal or ColumnFamily.Float or ColumnFamily.Timestamp or ColumnFamily.Date
        || (target is SqliteDatabase && family is ColumnFamily.Text);

    private static bool SameColumns(IReadOnlyList<string> key, IReadOnlyList<string> columns) =>
        key.Count == columns.Count && key.All(k => columns.Contains(k, StringComparer.OrdinalIgnoreCase));

    private static string Columns(IEnumerable<string> names) => "its columns are " + string.Join(", ", names);
}
