using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.PassThrough;
using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.Copying;

/// <summary>
/// What copying one batch did, whichever path copied it: the rows read, the last one's key (where
/// the next batch starts), the rows written and their checksum, and the rows left out with why.
/// </summary>
internal sealed record CopiedBatch(int Read, IReadOnlyList<object?>? LastKey, int Written, RowChecksum Checksum, List<RowRejection> Left)
{
    /// <summary>A batch the boxed path read as <paramref name="rows"/> and wrote <paramref name="kept"/> of.</summary>
    public static CopiedBatch Of(BackfillJob job, IReadOnlyList<object?[]> rows, List<object?[]> kept, List<RowRejection> left)
    {
        var checksum = new RowChecksum();
        foreach (var row in kept)
        {
            checksum.Add(row);
        }

        return new(rows.Count, rows.Count == 0 ? null : [.. job.KeyColumns.Select(i => rows[^1][i])], kept.Count, checksum, left);
    }

    /// <summary>A batch the pass-through copy wrote whole.</summary>
    public static CopiedBatch Of(PassedBatch batch) => new(batch.Count, batch.LastKey, batch.Count, batch.Checksum, []);
}
