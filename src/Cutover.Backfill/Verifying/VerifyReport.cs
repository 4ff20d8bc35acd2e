using Cutover.Backfill.Jobs;
using Cutover.Store;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// What <c>cutover backfill verify</c> found: both sides' row counts, how many key ranges were
/// compared, and each range that differs (bounded lists, complete counts).
/// </summary>
/// <param name="Job">The job verified.</param>
/// <param name="JobStatus">The job's status when verified: rows after an unfinished job's checkpoint are reported missing.</param>
/// <param name="ChunkSize">Keys per range compared.</param>
/// <param name="Chunks">Ranges compared.</param>
/// <param name="ChunksDiffering">Ranges whose counts or checksums differ.</param>
/// <param name="SourceRows">The source's mapped rows.</param>
/// <param name="TargetRows">The target's rows (before any repair).</param>
/// <param name="Missing">Rows the target lacks.</param>
/// <param name="Extra">Rows only the target has.</param>
/// <param name="Different">Rows whose values differ.</param>
/// <param name="Repaired">Whether mismatched ranges were copied again.</param>
/// <param name="Recopied">Source rows upserted again by the repair.</param>
/// <param name="Deletes">The job's <c>deletes</c> setting: whether a repair deletes the extra target rows.</param>
/// <param name="Deleted">Extra target rows the repair deleted (with <c>deletes: apply</c>).</param>
/// <param name="Remaining">Rows that still differ: after a repair with <c>deletes: report</c> the extra rows, without one every difference.</param>
/// <param name="MismatchedChunks">Ranges that differ, in key order, up to the report's limit.</param>
public sealed record VerifyReport(
    string Job,
    BackfillStatus JobStatus,
    int ChunkSize,
    long Chunks,
    long ChunksDiffering,
    long SourceRows,
    long TargetRows,
    long Missing,
    long Extra,
    long Different,
    bool Repaired,
    long Recopied,
    DeletePolicy Deletes,
    long Deleted,
    long Remaining,
    IReadOnlyList<ChunkReport> MismatchedChunks)
{
    /// <summary>
    /// Target rows newer than the source's row with the same key by the job's
    /// <c>onConflict.keepNewer</c> column (the new application wrote them after the copy): not
    /// differences, and a repair leaves them. 0 for a job without keepNewer.
    /// </summary>
    public long Ahead { get; init; }

    /// <summary>Whether the target holds exactly the source's mapped rows (after the repair, with one), but for the rows it holds newer (<see cref="Ahead"/>).</summary>
    public bool Identical => Remaining == 0;
}
