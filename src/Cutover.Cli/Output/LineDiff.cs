namespace Cutover.Cli.Output;

/// <summary>One row of a side-by-side diff: a line of each side, or of one side only (the other is null).</summary>
/// <param name="Legacy">Legacy's line, or null where legacy has none.</param>
/// <param name="Candidate">The candidate's line, or null where the candidate has none.</param>
internal readonly record struct DiffRow(string? Legacy, string? Candidate)
{
    /// <summary>Whether both sides have this line as it is, so it is context rather than a difference.</summary>
    public bool Same => Legacy is not null && string.Equals(Legacy, Candidate, StringComparison.Ordinal);
}

/// <summary>
/// Lines up two texts for a side-by-side view: the longest common subsequence of their lines is
/// shown as shared context, and what lies between is paired line by line, so a changed value sits
/// beside its replacement. A common head and tail are matched first; when what remains is too big
/// for the quadratic table, it is paired by position instead, keeping the CLI's memory bounded.
/// </summary>
internal static class LineDiff
{
    /// <summary>The largest table cells built (16 MB of ints); bodies that differ over more are paired by position.</summary>
    private const long MaxCells = 4_000_000;

    /// <summary>The rows to show, in order; every line of each side appears exactly once.</summary>
    public static IReadOnlyList<DiffRow> Align(IReadOnlyList<string> legacy, IReadOnlyList<string> candidate)
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

        var rows = new List<DiffRow>(Math.Max(legacy.Count, candidate.Count));
        for (var i = 0; i < head; i++)
        {
            rows.Add(new DiffRow(legacy[i], candidate[i]));
        }

        var left = Slice(legacy, head, legacy.Count - head - tail);
        var right = Slice(candidate, head, candidate.Count - head - tail);
        if ((long)(left.Length + 1) * (right.Length + 1) <= MaxCells)
        {
            Middle(left, right, rows);
        }
        else
        {
            Pair(left, right, rows);
        }

        for (var i = tail; i > 0; i--)
        {
            rows.Add(new DiffRow(legacy[legacy.Count - i], candidate[candidate.Count - i]));
        }

        return rows;
    }

    private static void Middle(string[] left, string[] right, List<DiffRow> rows)
    {
        // common[i, j] is the length of the longest common subsequence of left[i..] and right[j..].
        var common = new int[left.Length + 1, right.Length + 1];
        for (var i = left.Length - 1; i >= 0; i--)
        {
            for (var j = right.Length - 1; j >= 0; j--)
            {
                common[i, j] = Equal(left[i], right[j]) ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var removed = new List<string>();
        var added = new List<string>();
        int l = 0, r = 0;
        while (l < left.Length && r < right.Length)
        {
            if (Equal(left[l], right[r]))
            {
                Pair([.. removed], [.. added], rows);
                removed.Clear();
                added.Clear();
                rows.Add(new DiffRow(left[l++], right[r++]));
            }
            else if (common[l + 1, r] >= common[l, r + 1])
            {
                removed.Add(left[l++]);
            }
            else
            {
                added.Add(right[r++]);
            }
        }

        removed.AddRange(left[l..]);
        added.AddRange(right[r..]);
        Pair([.. removed], [.. added], rows);
    }

    private static void Pair(string[] left, string[] right, List<DiffRow> rows)
    {
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            rows.Add(new DiffRow(i < left.Length ? left[i] : null, i < right.Length ? right[i] : null));
        }
    }

    private static string[] Slice(IReadOnlyList<string> lines, int start, int count) => lines.Skip(start).Take(count).ToArray();

    private static bool Equal(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
}
