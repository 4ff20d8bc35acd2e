using System.Globalization;
using Cutover.Cli.Text;
using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// A table as every command prints it. In a terminal it fits the width (<see cref="TableLayout"/>):
/// aligned columns under a rule, long values cut with an ellipsis, the least important columns left
/// out and named under the table. In a pipe or a file it is plain rows for <c>cut</c>, <c>awk</c> and
/// <c>grep</c>: the header, then one line per row, values separated by one tab, with no padding, no
/// rule and no colour. Every value is cleaned for the terminal (<see cref="TerminalText"/>) here, so a
/// caller cannot forget it.
/// </summary>
internal sealed class CliTable(params CliColumn[] columns)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row, one value per column; a null value shows as <see cref="CliFormat.None"/>.</summary>
    public CliTable Add(params string?[] values)
    {
        if (values.Length != columns.Length)
        {
            throw new ArgumentException($"A row of this table has {columns.Length} values, not {values.Length}.", nameof(values));
        }

        _rows.Add([.. values.Select(v => TerminalText.Clean(v) ?? CliFormat.None)]);
        return this;
    }

    /// <summary>Writes the table the way <paramref name="output"/> is read: fitted to a terminal, or plain rows.</summary>
    public void Write(CliOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Width is not { } width)
        {
            output.Out.WriteLine(string.Join('\t', columns.Select(c => c.Header)));
            foreach (var row in _rows)
            {
                output.Out.WriteLine(string.Join('\t', row));
            }

            return;
        }

        var layout = TableLayout.Fit(columns, _rows, width);
        var header = Line(layout, layout.Select(l => columns[l.Column].Header).ToArray(), styled: false);
        output.Console.MarkupLine($"[bold]{header}[/]");
        output.Console.WriteLine(new string('─', Math.Min(width, layout.Sum(l => l.Width) + (TableLayout.Gap * (layout.Count - 1)))));
        foreach (var row in _rows)
        {
            output.Console.MarkupLine(Line(layout, layout.Select(l => row[l.Column]).ToArray(), styled: true));
        }

        if (layout.Count < columns.Length)
        {
            var left = string.Join(", ", columns.Where((_, i) => layout.All(l => l.Column != i)).Select(c => c.Header));
            output.WriteText(string.Create(CultureInfo.InvariantCulture,
                $"({left} left out to fit {width} columns; a wider terminal, a pipe or --json shows every column.)"));
        }
    }

    /// <summary>One line of markup: each value cut to its column and padded, the last one not padded.</summary>
    private string Line(List<(int Column, int Width)> layout, string[] values, bool styled)
    {
        var cells = new List<string>(layout.Count);
        for (var i = 0; i < layout.Count; i++)
        {
            var (column, width) = layout[i];
            var text = TextFit.Truncate(values[i], width);
            var padding = new string(' ', Math.Max(0, width - text.GetCellWidth()));
            var last = i == layout.Count - 1;
            var escaped = styled && columns[column].Colour?.Invoke(values[i]) is { } colour
                ? $"[{colour}]{Markup.Escape(text)}[/]"
                : Markup.Escape(text);
            cells.Add(columns[column].RightAligned ? padding + escaped : last ? escaped : escaped + padding);
        }

        return string.Join(new string(' ', TableLayout.Gap), cells);
    }
}
