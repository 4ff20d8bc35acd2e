namespace Cutover.Backfill.Verifying;

/// <summary>
/// One key range whose rows differ: its bounds, both sides' counts and checksums, how many rows
/// differ of each kind, and the first of them by key (the list is bounded; the counts are not).
/// </summary>
/// <param name="After">The range's lower bound, exclusive, as "(1, 94)"; null from the first key.</param>
/// <param name="UpTo">The range's upper bound, inclusive; null to the last key.</param>
/// <param name="SourceRows">The source's mapped rows in the range.</param>
/// <param name="TargetRows">The target's rows in the range.</param>
/// <param name="SourceChecksum">The range's checksum on the source, as the checkpoint writes checksums.</param>
/// <param name="TargetChecksum">The range's checksum on the target.</param>
/// <param name="Missing">Rows the target lacks.</param>
/// <param name="Extra">Rows only the target has.</param>
/// <param name="Different">Rows whose values differ.</param>
/// <param name="Rows">The differing rows, in key order, up to the report's limit.</param>
/// <param name="Recopied">With repair, the source rows upserted into the target again; 0 otherwise.</param>
/// <param name="Deleted">With repair and <c>deletes: apply</c>, the extra target rows deleted; 0 otherwise.</param>
/// <param name="Remaining">Rows that still differ after the repair (with <c>deletes: report</c>, the extra rows, which it leaves); without repair, all of them.</param>
public sealed record ChunkReport(
    string? After,
    string? UpTo,
    long SourceRows,
    long TargetRows,
    string SourceChecksum,
    string TargetChecksum,
    long Missing,
    long Extra,
    long Different,
    IReadOnlyList<RowDifference> Rows,
    long Recopied,
    long Deleted,
    long Remaining);
