using Cutover.Backfill.Jobs;
using Cutover.Store;

namespace Cutover.Backfill.Verifying;

/// <summary>Adds up the compared ranges into a <see cref="VerifyReport"/>, listing differing ranges and rows up to a limit.</summary>
internal sealed class VerifyTally(string job, BackfillStatus status, int chunkSize, bool repair, DeletePolicy deletes, int listLimit)
{
    private readonly List<ChunkReport> _listed = [];
    private long _chunks;
    private long _differing;
    private long _sourceRows;
    private long _targetRows;
    private long _missing;
    private long _extra;
    private long _different;
    private long _recopied;
    private long _deleted;
    private long _remaining;
    private long _ahead;
    private int _rowsListed;

    /// <summary>
    /// Counts one range; <paramref name="differences"/> are its differing rows as found, <paramref name="remaining"/> those left after a repair.
    /// A range whose only unequal rows are ahead of the source (keepNewer) does not differ.
    /// </summary>
    public void Add(string? after, string? upTo, ChunkComparison found, IReadOnlyList<RowDifference> differences, long recopied, long deleted, long remaining)
    {
        _chunks++;
        _sourceRows += found.SourceRows;
        _targetRows += found.TargetRows;
        _ahead += found.Ahead;
        if (differences.Count == 0)
        {
            return;
        }

        _differing++;
        var missing = differences.LongCount(d => d.Kind == RowDifferenceKind.Missing);
        var extra = differences.LongCount(d => d.Kind == RowDifferenceKind.Extra);
        var different = differences.LongCount(d => d.Kind == RowDifferenceKind.Different);
        _missing += missing;
        _extra += extra;
        _different += different;
        _recopied += recopied;
        _deleted += deleted;
        _remaining += remaining;
        if (_listed.Count < listLimit)
        {
            var rows = differences.Take(listLimit - _rowsListed).ToList();
            _rowsListed += rows.Count;
            _listed.Add(new ChunkReport(after, upTo, found.SourceRows, found.TargetRows, found.SourceChecksum, found.TargetChecksum, missing, extra, different, rows, recopied, deleted, remaining));
        }
    }

    public VerifyReport Report() =>
        new(job, status, chunkSize, _chunks, _differing, _sourceRows, _targetRows, _missing, _extra, _different, repair, _recopied, deletes, _deleted, _remaining, _listed) { Ahead = _ahead };
}
