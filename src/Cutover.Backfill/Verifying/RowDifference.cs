namespace Cutover.Backfill.Verifying;

/// <summary>One row that differs between the source's mapped rows and the target.</summary>
/// <param name="Kind">Missing in the target, extra in the target, or different values.</param>
/// <param name="Key">The row's key as <c>status</c> shows keys: "(2, 87)".</param>
/// <param name="Columns">For <see cref="RowDifferenceKind.Different"/>, the target columns whose values differ; empty otherwise.</param>
public sealed record RowDifference(RowDifferenceKind Kind, string Key, IReadOnlyList<string> Columns);
