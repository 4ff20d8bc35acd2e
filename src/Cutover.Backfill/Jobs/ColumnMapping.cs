namespace Cutover.Backfill.Jobs;

/// <summary>
/// How one target column gets its value: a source column copied as it is, or an SQL expression the
/// source database evaluates in the batch's SELECT (renames, concatenations, casts).
/// </summary>
/// <param name="Target">The target column.</param>
/// <param name="Expression">The source column's name, or the SQL expression.</param>
/// <param name="IsColumn">Whether <paramref name="Expression"/> is a plain source column, whose type the schema check can compare.</param>
public sealed record ColumnMapping(string Target, string Expression, bool IsColumn);
