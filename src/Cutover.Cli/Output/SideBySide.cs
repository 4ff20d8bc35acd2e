using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Writes aligned lines as two columns, legacy on the left and the candidate on the right, with
/// the marks of <c>diff -y</c> between them (<c>|</c> changed, <c>&lt;</c> legacy only,
/// <c>&gt;</c> candidate only) so it reads without colour too; differing lines are red on the left
/// and green on the right, shared lines dim. Long lines wrap within their column at spaces
/// (<see cref="TextFit.Wrap"/>). On a console narrower than <see cref="MinWidth"/> the columns would be too thin to read, so the two texts
/// are written one after the other instead, differing lines marked <c>-</c> and <c>+</c>.
/// </summary>
internal static class SideBySide
{
    /// <summary>The narrowest console that gets two columns.</summary>
    public const int MinWidth = 80;

    private const int GutterWidth = 3;

    /// <summary>Writes <paramref name="rows"/> under the two titles, in columns or stacked by the console's width.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<DiffRow> rows, string legacyTitle, string candidateTitle)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(rows);
        if (console.Profile.Width < MinWidth)
        {
            Stacked(console, legacyTitle, rows.Where(r => r.Legacy is not null).Select(r => (r.Legacy!, r.Same)), "-", "red");
            console.WriteLine();
            Stacked(console, candidateTitle, rows.Where(r => r.Candidate is not null).Select(r => (r.Candidate!, r.Same)), "+", "green");
        }
        else
        {
            Columns(console, rows, legacyTitle, candidateTitle);
        }
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
            var mark = row.Same ? "   " : row.Legacy is null ? " > " : row.Candidate is null ? " < " : " | ";
            for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
            {
                var legacy = Pad(i < left.Count ? left[i] : string.Empty, width);
                var candidate = i < right.Count ? right[i] : string.Empty;
                var gutter = candidate.Length == 0 ? mark.TrimEnd() : mark;
                console.MarkupLine(row.Same
                    ? $"[dim]{Markup.Escape(legacy + gutter + candidate)}[/]"
                    : Styled(legacy, "red") + gutter + Styled(candidate, "green"));
            }
        }
    }

    private static void Stacked(IAnsiConsole console, string title, IEnumerable<(string Line, bool Same)> lines, string mark, string colour)
    {
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        foreach (var (line, same) in lines)
        {
            console.MarkupLine(same ? $"[dim]  {Markup.Escape(line)}[/]" : Styled($"{mark} {line}", colour));
        }
    }

    private static string Pad(string text, int width) => text + new string(' ', Math.Max(0, width - text.GetCellWidth()));

    private static string Styled(string text, string style) => string.IsNullOrWhiteSpace(text) ? text : $"[{style}]{Markup.Escape(text)}[/]";
}
