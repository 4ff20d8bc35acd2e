using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Makes text fit a terminal's width without splitting a word: lines are broken at spaces (a word is
/// cut only when it is longer than a whole line, as the terminal itself would), and a table cell too
/// long for its column ends with an ellipsis. Widths are in terminal cells, so wide characters count
/// twice.
/// </summary>
internal static class TextFit
{
    /// <summary>What a shortened cell ends with, so a reader knows there is more (in <c>--json</c> or a wider terminal).</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="line"/> as lines of at most <paramref name="width"/> cells, broken at spaces.
    /// Lines after the first keep the first's leading spaces, so an indented item stays indented.
    /// </summary>
    public static List<string> Wrap(string line, int width)
    {
        var indent = line[..(line.Length - line.TrimStart(' ').Length)];
        if (indent.Length * 2 > width)
        {
            indent = string.Empty;
        }

        var lines = new List<string>();
        var rest = line;
        while (rest.GetCellWidth() > width)
        {
            var fits = Prefix(rest, width);
            var space = rest.LastIndexOf(' ', Math.Min(fits, rest.Length - 1));
            var cut = space > indent.Length ? space : Math.Max(fits, indent.Length + 1);
            lines.Add(rest[..cut].TrimEnd());
            rest = indent + rest[cut..].TrimStart(' ');
        }

        lines.Add(rest);
        return lines;
    }

    /// <summary>
    /// <paramref name="text"/> cut to <paramref name="width"/> cells with an ellipsis: after the last
    /// whole word when that keeps most of the room, otherwise after the last character that fits.
    /// </summary>
    public static string Truncate(string text, int width)
    {
        if (text.GetCellWidth() <= width)
        {
            return text;
        }

        var room = Math.Max(0, width - Ellipsis.GetCellWidth());
        var fits = Prefix(text, room);
        var space = text.LastIndexOf(' ', Math.Max(0, Math.Min(fits, text.Length - 1)));
        var cut = space > 0 && space * 3 >= fits * 2 ? space : fits;
        return text[..cut].TrimEnd() + Ellipsis;
    }

    /// <summary>The length of the longest start of <paramref name="text"/> that takes at most <paramref name="width"/> cells.</summary>
    private static int Prefix(string text, int width)
    {
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            used += text[i].GetCellWidth();
            if (used > width)
            {
                return i;
            }
        }

        return text.Length;
    }
}
