using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.Verifying;

/// <summary>
/// Both sides of one key range: counts and checksums first, and only when those differ the rows
/// matched by key, which names each row missing from the target, extra in it, or different (with
/// the columns that differ).
/// </summary>
internal sealed class ChunkComparison
{
    private readonly TargetForm _form;
    private readonly IReadOnlyList<object?[]> _source;
    private readonly IReadOnlyList<object?[]> _target;
    private readonly RowChecksum _sourceChecksum = new();
    private readonly RowChecksum _targetChecksum = new();

    /// <summary>Compares converted rows (see <see cref="TargetForm"/>) of the same range.</summary>
    public ChunkComparison(TargetForm form, IReadOnlyList<object?[]> source, IReadOnlyList<object?[]> target)
    {
        _form = form;
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
    public IReadOnlyList<RowDifference> Differences()
    {
        if (Matches)
        {
            return [];
        }

        var targets = new Dictionary<string, object?[]>(_target.Count, StringComparer.Ordinal);
        foreach (var row in _target)
        {
            targets.TryAdd(_form.Identity(row), row);
        }

        var differences = new List<RowDifference>();
        foreach (var row in _source)
        {
            if (!targets.TryGetValue(_form.Identity(row), out var target))
            {
                differences.Add(new RowDifference(RowDifferenceKind.Missing, _form.Display(row), []));
            }
            else if (DifferingColumns(row, target) is { Count: > 0 } columns)
            {
                differences.Add(new RowDifference(RowDifferenceKind.Different, _form.Display(row), columns));
            }
        }

        differences.AddRange(ExtraRows().Select(row => new RowDifference(RowDifferenceKind.Extra, _form.Display(row), [])));
        return differences;
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
