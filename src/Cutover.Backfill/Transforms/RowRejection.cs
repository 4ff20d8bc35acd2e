namespace Cutover.Backfill.Transforms;

/// <summary>A row left out of a batch: its key values and why.</summary>
internal sealed record RowRejection(IReadOnlyList<object?> Key, string Reason);
