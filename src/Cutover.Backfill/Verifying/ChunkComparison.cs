using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// Both sides of one key range: counts and checksums first, and only when those differ the rows
/// matched by key, which names each row missing from the target, extra in it, or different (with
/// the columns that differ). With the job's <c>onConflict.keepNewer</c>, a target row whose value
/// of that column is greater than the source row's is not a difference: the copy keeps such a row
/// (the new application wrote it later), so it is counted <see cref="Ahead"/> instead.
/// </summary>
internal sealed class ChunkComparison
{
    private readonly TargetForm _form;
    private readonly IReadOnlyList<object?[]> _source;
    private readonly IReadOnlyList<object?[]> _target;
    private readonly RowChecksum _sourceChecksum = new();
    private readonly RowChecksum _targetChecksum = new();
    private readonly int? _keepNewer;
    private (IReadOnlyList<RowDifference> Differences, long Ahead)? _found;

    /// <summary>Compares converted rows (see <see cref="TargetForm"/>) of the same range; <paramref name="keepNewer"/> is the index of the job's keepNewer column, if it has one.</summary>
    public ChunkComparison(TargetForm form, IReadOnlyList<object?[]> source, IReadOnlyList<object?[]> target, int? keepNewer = null)
    {
        _form = form;
        _keepNewer = keepNewer;
        _source = [.. source.Select(form.Of)];
        _target = [.. target.Select(form.Of)];
        foreach (var row in _source)
        {
            _sourceChecksum.Add(row);
        }

        foreach (var row in _target)
        {
            _targetChecksum.Add(row);
        }
    }

    public long SourceRows => _source.Count;

    public long TargetRows => _target.Count;

    public string SourceChecksum => _sourceChecksum.Value;

    public string TargetChecksum => _targetChecksum.Value;

    /// <summary>Whether both sides have as many rows with the same checksum: the range is the same.</summary>
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;

    /// <summary>Every differing row: missing and different ones in the source's key order, then the extra ones in the target's.</summary>
    public IReadOnlyList<RowDifference> Differences() => Found().Differences;

    /// <summary>Rows the target holds newer than the source by the job's keepNewer column: kept by the copy, not differences.</summary>
    public long Ahead => Found().Ahead;

    private (IReadOnlyList<RowDifference> Differences, long Ahead) Found() => _found ??= Compare();

    private (IReadOnlyList<RowDifference> Differences, long Ahead) Compare()
    {
        if (Matches)
        {
            return ([], 0);
        }

        var targets = new Dictionary<string, object?[]>(_target.Count, StringComparer.Ordinal);
        foreach (var row in _target)
        {
            targets.TryAdd(_form.Identity(row), row);
        }

        var differences = new List<RowDifference>();
        long ahead = 0;
        foreach (var row in _source)
        {
            if (!targets.TryGetValue(_form.Identity(row), out var target))
            {
                differences.Add(new RowDifference(RowDifferenceKind.Missing, _form.Display(row), []));
            }
            else if (DifferingColumns(row, target) is not { Count: > 0 } columns)
            {
                continue;
            }
            else if (_keepNewer is { } version && VersionOrder.IsNewer(target[version], row[version]))
            {
                ahead++;
            }
            else
            {
                differences.Add(new RowDifference(RowDifferenceKind.Different, _form.Display(row), columns));
            }
        }

        differences.AddRange(ExtraRows().Select(row => new RowDifference(RowDifferenceKind.Extra, _form.Display(row), [])));
        return (differences, ahead);
    }

    /// <summary>The target's rows (in the target's form) whose key the source does not have, in the target's key order: what applying deletions removes.</summary>
    public IReadOnlyList<object?[]> ExtraRows()
    {
        if (Matches)
        {
            return [];
        }

        var sourceKeys = _source.Select(_form.Identity).ToHashSet(StringComparer.Ordinal);
        return [.. _target.Where(row => !sourceKeys.Contains(_form.Identity(row)))];
    }

    private List<string> DifferingColumns(object?[] source, object?[] target) =>
        [.. _form.Columns.Where((_, i) => RowChecksum.Canonical([source[i]]) != RowChecksum.Canonical([target[i]])).Select(c => c.Name)];
}
