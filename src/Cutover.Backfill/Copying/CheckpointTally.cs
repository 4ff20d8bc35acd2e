using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.Copying;

/// <summary>
/// What a checkpoint carries from batch to batch, for a whole job, one range of a split job and a
/// catch-up pass alike: the running checksum, the rows skipped and the last key copied.
/// </summary>
internal sealed class CheckpointTally(string checksum, string? skipped, string? lastKey)
{
    private readonly RowChecksum _checksum = RowChecksum.Parse(checksum);
    private SkippedRows _skipped = SkippedRows.Parse(skipped);

    /// <summary>The key the next batch starts after; null before the first.</summary>
    public IReadOnlyList<object?>? After { get; private set; } = lastKey is null ? null : KeyCodec.Decode(lastKey);

    /// <summary>The checksum as stored.</summary>
    public string Checksum => _checksum.Value;

    /// <summary>The skipped rows as stored.</summary>
    public string? Skipped => _skipped.Encode();

    /// <summary>The last key as stored.</summary>
    public string? LastKey => After is null ? null : KeyCodec.Encode(After);

    /// <summary>Adds what a batch read and wrote.</summary>
    public void Add(CopiedBatch batch, RowRateLimiter limiter)
    {
        _checksum.Add(batch.Checksum);
        _skipped = _skipped.With(LeftOut(batch.Left));
        limiter.Copied(batch.Read);
        After = batch.LastKey ?? After;
    }

    /// <summary>The rows left out of a batch, as the job's record lists them.</summary>
    private static List<SkippedRow> LeftOut(List<RowRejection> left) =>
        [.. left.Select(r => new SkippedRow(KeyCodec.Display(KeyCodec.Encode(r.Key)), r.Reason))];
}
