using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Decides how a <see cref="CliTable"/> fits a terminal: which columns are shown and how wide each
/// is. First long values are cut short (the least important columns first, none below its header,
/// <see cref="ShortestCut"/> or half its values' width), then, while that is not enough, the least
/// important column is left out. A header is never cut and a row never wraps, so no word is split across lines.
/// </summary>
internal static class TableLayout
{
    /// <summary>The cells between two columns.</summary>
    public const int Gap = 2;

    /// <summary>The fewest cells a cut value keeps (with its ellipsis), so what is left still says something.</summary>
    public const int ShortestCut = 10;

    /// <summary>The columns shown, in order, with their widths, for a terminal <paramref name="width"/> cells wide.</summary>
    public static List<(int Column, int Width)> Fit(IReadOnlyList<CliColumn> columns, IReadOnlyList<string[]> rows, int width)
    {
        var natural = columns.Select((c, i) => rows.Select(r => r[i].GetCellWidth()).Append(c.Header.GetCellWidth()).Max()).ToArray();
        var shown = Enumerable.Range(0, columns.Count).ToList();
        while (true)
        {
            var widths = shown.ToDictionary(i => i, i => natural[i]);
            var excess = widths.Values.Sum() + (Gap * (shown.Count - 1)) - width;
            foreach (var i in shown.Where(i => columns[i].Shrinks).OrderByDescending(i => columns[i].Keep).ThenByDescending(i => i))
            {
                var cut = Math.Min(Math.Max(0, excess), widths[i] - Narrowest(columns[i], widths[i]));
                widths[i] -= cut;
                excess -= cut;
            }

            if (excess <= 0 || shown.Count == 1)
            {
                return [.. shown.Select(i => (i, widths[i]))];
            }

            shown.Remove(shown.OrderByDescending(i => columns[i].Keep).ThenByDescending(i => i).First());
        }
    }

    /// <summary>How narrow a shrinking column whose values take <paramref name="natural"/> cells may get, so that a cut value still says what it is.</summary>
    private static int Narrowest(CliColumn column, int natural) =>
        Math.Max(column.Header.GetCellWidth(), Math.Min(natural, Math.Max(ShortestCut, natural / 2)));
}
