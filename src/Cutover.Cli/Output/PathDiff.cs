namespace Cutover.Cli.Output;

/// <summary>
/// Lines up two JSON bodies by the paths of their lines and marks each row by what the comparison
/// said about those paths, not by the text: a value that compared equal under the rules
/// (<c>2.50</c> and <c>2.5</c>, keys in another order) is not marked, one the comparison left out
/// shows as ignored or noise, and only a reported path is marked as differing.
/// </summary>
internal static class PathDiff
{
    /// <summary>
    /// The rows of the two bodies. When the sample lists only some of its differences, a line whose
    /// text differs at a path not otherwise accounted for is marked as differing too, since an
    /// unlisted difference may be there.
    /// </summary>
    public static IReadOnlyList<DiffRow> Align(IReadOnlyList<JsonLine> legacy, IReadOnlyList<JsonLine> candidate, ComparedPaths paths)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(paths);
        return LineDiff.Pairs([.. legacy.Select(l => l.Key)], [.. candidate.Select(l => l.Key)]).Select(pair =>
        {
            var left = pair.Legacy is { } l ? legacy[l] : null;
            var right = pair.Candidate is { } r ? candidate[r] : null;
            var mark = (LineMark)Math.Max((int)MarkOf(left, paths), (int)MarkOf(right, paths));
            if (mark == LineMark.Same && !paths.Complete && !string.Equals(left?.Text, right?.Text, StringComparison.Ordinal))
            {
                mark = LineMark.Differs;
            }

            return new DiffRow(left?.Text, right?.Text, mark);
        }).ToList();
    }

    private static LineMark MarkOf(JsonLine? line, ComparedPaths paths) => line is null ? LineMark.Same : paths.Of(line.Path);
}
