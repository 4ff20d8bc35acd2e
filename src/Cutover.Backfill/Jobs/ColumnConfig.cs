namespace Cutover.Backfill.Jobs;

/// <summary>One entry of <c>columns</c> as written: target column and source column or SQL expression.</summary>
internal sealed record ColumnConfig(string Target, string? Expression, int Line);
