using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Writes aligned lines as two columns, legacy on the left and the candidate on the right, with
/// the marks of <c>diff -y</c> between them (<c>|</c> differs, <c>&lt;</c> legacy only,
/// <c>&gt;</c> candidate only), and <c>~</c> for a value ignored by <c>compare.ignore</c> and
/// <c>n</c> for learned noise, so it reads without colour too; differing lines are red on the left
/// and green on the right, ignored and noise lines yellow, the others dim. Long lines wrap within
/// their column at spaces (<see cref="TextFit.Wrap"/>). On a console narrower than <see cref="MinWidth"/> the columns would be too thin
/// to read, so the two texts are written one after the other instead, differing lines marked
/// <c>-</c> and <c>+</c>.
/// </summary>
internal static class SideBySide
{
    /// <summary>The narrowest console that gets two columns.</summary>
    public const int MinWidth = 80;

    private const int GutterWidth = 3;

    private const string NotCompared = "yellow";

    /// <summary>Writes <paramref name="rows"/> under the two titles, in columns or stacked by the console's width.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<DiffRow> rows, string legacyTitle, string candidateTitle)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(rows);
        if (console.Profile.Width < MinWidth)
        {
            Stacked(console, legacyTitle, rows.Where(r => r.Legacy is not null).Select(r => (r.Legacy!, r.Mark)), "-", "red");
            console.WriteLine();
            Stacked(console, candidateTitle, rows.Where(r => r.Candidate is not null).Select(r => (r.Candidate!, r.Mark)), "+", "green");
        }
        else
        {
            Columns(console, rows, legacyTitle, candidateTitle);
        }
    }

    /// <summary>
    /// One line that says what the marks <see cref="Write"/> uses on this console mean: by path when
    /// <paramref name="byPath"/> (the rows come from <see cref="PathDiff"/>), else by text.
    /// </summary>
    public static string Legend(IAnsiConsole console, bool byPath)
    {
        ArgumentNullException.ThrowIfNull(console);
        var differs = console.Profile.Width < MinWidth ? "- legacy, + candidate" : "| differs, < legacy only, > candidate only";
        return byPath
            ? $"Marks: {differs} (at a path the comparison reported, listed below); ~ ignored by compare.ignore; n learned noise; unmarked lines compared equal."
            : $"Marks: {differs} (the text differs: this body was compared as a whole).";
    }

    private static void Columns(IAnsiConsole console, IReadOnlyList<DiffRow> rows, string legacyTitle, string candidateTitle)
    {
        // One cell to spare, so a full row never makes the terminal wrap it by itself.
        var width = (console.Profile.Width - GutterWidth - 1) / 2;
        console.MarkupLine($"[bold]{Markup.Escape(Pad(legacyTitle, width))}[/]{new string(' ', GutterWidth)}[bold]{Markup.Escape(candidateTitle)}[/]");
        foreach (var row in rows)
        {
            var left = TextFit.Wrap(row.Legacy ?? string.Empty, width);
            var right = TextFit.Wrap(row.Candidate ?? string.Empty, width);
            var mark = row.Mark switch
            {
                LineMark.Same => "   ",
                LineMark.Ignored => " ~ ",
                LineMark.Noise => " n ",
                _ => row.Legacy is null ? " > " : row.Candidate is null ? " < " : " | ",
            };
            for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
            {
                var legacy = Pad(i < left.Count ? left[i] : string.Empty, width);
                var candidate = i < right.Count ? right[i] : string.Empty;
                var gutter = candidate.Length == 0 ? mark.TrimEnd() : mark;
                console.MarkupLine(row.Mark switch
                {
                    LineMark.Same => $"[dim]{Markup.Escape(legacy + gutter + candidate)}[/]",
                    LineMark.Differs => Styled(legacy, "red") + gutter + Styled(candidate, "green"),
                    _ => Styled(legacy, NotCompared) + gutter + Styled(candidate, NotCompared),
                });
            }
        }
    }

    private static void Stacked(IAnsiConsole console, string title, IEnumerable<(string Line, LineMark Mark)> lines, string differs, string colour)
    {
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        foreach (var (line, mark) in lines)
        {
            console.MarkupLine(mark switch
            {
                LineMark.Same => $"[dim]  {Markup.Escape(line)}[/]",
                LineMark.Ignored => Styled($"~ {line}", NotCompared),
                LineMark.Noise => Styled($"n {line}", NotCompared),
                _ => Styled($"{differs} {line}", colour),
            });
        }
    }

    private static string Pad(string text, int width) => text + new string(' ', Math.Max(0, width - text.GetCellWidth()));

    private static string Styled(string text, string style) => string.IsNullOrWhiteSpace(text) ? text : $"[{style}]{Markup.Escape(text)}[/]";
}
