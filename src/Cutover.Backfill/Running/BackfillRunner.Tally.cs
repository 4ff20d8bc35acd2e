using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Throttling;

namespace Cutover.Backfill.Running;

public sealed partial class BackfillRunner
{
    /// <summary>
    /// What a checkpoint carries from batch to batch, for a whole job and for one range of a split
    /// job alike: the running checksum, the rows skipped and the last key copied.
    /// </summary>
    private sealed class CheckpointTally(string checksum, string? skipped, string? lastKey)
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

        /// <summary>Adds a batch of <paramref name="rows"/> read and what of it was <paramref name="written"/> (null for none read); returns the rows written.</summary>
        public int Add(BackfillJob job, IReadOnlyList<object?[]> rows, BatchWrite? written, RowRateLimiter limiter)
        {
            if (written is null)
            {
                return 0;
            }

            foreach (var row in written.Kept)
            {
                _checksum.Add(row);
            }

            _skipped = _skipped.With(BackfillRunner.Skipped(written.Left));
            limiter.Copied(rows.Count);
            After = job.KeyColumns.Select(i => rows[^1][i]).ToList();
            return written.Kept.Count;
        }
    }
}
