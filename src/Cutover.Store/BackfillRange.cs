namespace Cutover.Store;

/// <summary>
/// One key range of a split backfill job (<c>ranges: N</c> in the job file): the rows after
/// <see cref="After"/> up to and including <see cref="UpTo"/>, copied by whichever worker claims
/// it, with its own checkpoint. The job's rows copied are the sum of its ranges', and its
/// checksum the sum of theirs, since the row checksum does not depend on order.
/// </summary>
/// <param name="Job">The job's name.</param>
/// <param name="Index">The range's place in key order, from 0.</param>
/// <param name="After">The key the range starts after, encoded by the engine; null for the first range.</param>
/// <param name="UpTo">The last key of the range, encoded by the engine; null for the last range, which takes every key after <see cref="After"/>.</param>
/// <param name="Status">Where the range is.</param>
/// <param name="Holder">The worker holding (or that last held) the range; null while pending.</param>
/// <param name="LastKey">The key of the range's last row copied; null before its first batch.</param>
/// <param name="RowsCopied">Rows of the range copied so far.</param>
/// <param name="Checksum">The checksum of those rows, encoded by the engine.</param>
/// <param name="UpdatedAt">When the range was last claimed or checkpointed.</param>
public sealed record BackfillRange(
    string Job,
    int Index,
    string? After,
    string? UpTo,
    BackfillRangeStatus Status,
    string? Holder,
    string? LastKey,
    long RowsCopied,
    string Checksum,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The range's rows left out under <c>onError: skip</c>, encoded by the engine; null when none.</summary>
    public string? Skipped { get; init; }
}
