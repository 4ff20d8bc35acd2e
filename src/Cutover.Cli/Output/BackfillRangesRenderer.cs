using System.Globalization;
using Cutover.Store;
using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>How a split job's key ranges read in <c>status</c>: each range's state, rows, holder and last key.</summary>
internal static class BackfillRangesRenderer
{
    /// <summary>A table of <paramref name="record"/>'s ranges under a line counting them by state; nothing for a job that is not split.</summary>
    public static void Write(IAnsiConsole console, BackfillRecord record)
    {
        if (record.Ranges.Count == 0)
        {
            return;
        }

        var counts = string.Join(", ", Enum.GetValues<BackfillRangeStatus>()
            .Select(s => (State: s, Count: record.Ranges.Count(r => r.Status == s)))
            .Where(c => c.Count > 0)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Count} {Text(c.State)}")));
        console.WriteLine($"{TerminalText.Clean(record.Name)}: {record.Ranges.Count} key ranges ({counts}):");
        var table = new Table().Border(TableBorder.Simple).AddColumns("RANGE", "STATUS", "ROWS", "HOLDER", "UP TO", "LAST KEY");
        foreach (var range in record.Ranges)
        {
            table.AddRow(
                (range.Index + 1).ToString(CultureInfo.InvariantCulture),
                Text(range.Status),
                range.RowsCopied.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(range.Status == BackfillRangeStatus.Pending ? CliFormat.None : TerminalText.Clean(range.Holder) ?? CliFormat.None),
                Markup.Escape(range.UpTo is null ? "(end)" : BackfillRenderer.Key(range.UpTo)),
                Markup.Escape(BackfillRenderer.Key(range.LastKey)));
        }

        console.Write(table);
    }

    private static string Text(BackfillRangeStatus status) => status.ToString().ToLowerInvariant();
}
