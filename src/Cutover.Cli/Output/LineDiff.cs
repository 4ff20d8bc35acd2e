namespace Cutover.Cli.Output;

/// <summary>
/// Lines up two sequences of line keys for a side-by-side view: the longest common subsequence is
/// shown as shared context, and what lies between is paired line by line, so a changed value sits
/// beside its replacement. A common head and tail are matched first; when what remains is too big
/// for the quadratic table, it is paired by position instead, keeping the CLI's memory bounded.
/// A key is the line's text for a text body, or its JSON path for a JSON body (<see cref="PathDiff"/>).
/// </summary>
internal static class LineDiff
{
    /// <summary>The largest table cells built (16 MB of ints); bodies that differ over more are paired by position.</summary>
    private const long MaxCells = 4_000_000;

    /// <summary>The rows of two texts, a line marked <see cref="LineMark.Differs"/> unless both sides have it as it is.</summary>
    public static IReadOnlyList<DiffRow> Align(IReadOnlyList<string> legacy, IReadOnlyList<string> candidate) =>
        Pairs(legacy, candidate).Select(pair =>
        {
            var left = pair.Legacy is { } l ? legacy[l] : null;
            var right = pair.Candidate is { } r ? candidate[r] : null;
            return new DiffRow(left, right, left is not null && Equal(left, right) ? LineMark.Same : LineMark.Differs);
        }).ToList();

    /// <summary>The positions to show side by side, in order; every line of each side appears exactly once.</summary>
    public static IReadOnlyList<(int? Legacy, int? Candidate)> Pairs(IReadOnlyList<string> legacy, IReadOnlyList<string> candidate)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(candidate);
        var shorter = Math.Min(legacy.Count, candidate.Count);
        var head = 0;
        while (head < shorter && Equal(legacy[head], candidate[head]))
        {
            head++;
        }

        var tail = 0;
        while (tail < shorter - head && Equal(legacy[legacy.Count - 1 - tail], candidate[candidate.Count - 1 - tail]))
        {
            tail++;
        }

        var pairs = new List<(int?, int?)>(Math.Max(legacy.Count, candidate.Count));
        for (var i = 0; i < head; i++)
        {
            pairs.Add((i, i));
        }

        var left = new Window(legacy, head, legacy.Count - head - tail);
        var right = new Window(candidate, head, candidate.Count - head - tail);
        if ((long)(left.Count + 1) * (right.Count + 1) <= MaxCells)
        {
            Middle(left, right, pairs);
        }
        else
        {
            Pair(left.Start, left.Count, right.Start, right.Count, pairs);
        }

        for (var i = tail; i > 0; i--)
        {
            pairs.Add((legacy.Count - i, candidate.Count - i));
        }

        return pairs;
    }

    private static void Middle(Window left, Window right, List<(int?, int?)> pairs)
    {
        // common[i, j] is the length of the longest common subsequence of left[i..] and right[j..].
        var common = new int[left.Count + 1, right.Count + 1];
        for (var i = left.Count - 1; i >= 0; i--)
        {
            for (var j = right.Count - 1; j >= 0; j--)
            {
                common[i, j] = Equal(left[i], right[j]) ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        // The lines taken out of each side since the last shared one, as a start and a count.
        int removedFrom = 0, removed = 0, addedFrom = 0, added = 0;
        int l = 0, r = 0;
        while (l < left.Count && r < right.Count)
        {
            if (Equal(left[l], right[r]))
            {
                Pair(left.Start + removedFrom, removed, right.Start + addedFrom, added, pairs);
                pairs.Add((left.Start + l++, right.Start + r++));
                (removedFrom, removed, addedFrom, added) = (l, 0, r, 0);
            }
            else if (common[l + 1, r] >= common[l, r + 1])
            {
                l++;
                removed++;
            }
            else
            {
                r++;
                added++;
            }
        }

        Pair(left.Start + removedFrom, removed + left.Count - l, right.Start + addedFrom, added + right.Count - r, pairs);
    }

    private static void Pair(int leftStart, int leftCount, int rightStart, int rightCount, List<(int?, int?)> pairs)
    {
        for (var i = 0; i < Math.Max(leftCount, rightCount); i++)
        {
            pairs.Add((i < leftCount ? leftStart + i : null, i < rightCount ? rightStart + i : null));
        }
    }

    private static bool Equal(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>The part of one side between the common head and tail.</summary>
    private readonly record struct Window(IReadOnlyList<string> Lines, int Start, int Count)
    {
        public string this[int index] => Lines[Start + index];
    }
}
