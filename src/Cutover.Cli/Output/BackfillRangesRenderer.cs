using System.Globalization;
using Cutover.Cli.Text;
using Cutover.Store;

namespace Cutover.Cli.Output;

/// <summary>How a split job's key ranges read in <c>status</c>: each range's state, rows, holder and last key.</summary>
internal static class BackfillRangesRenderer
{
    /// <summary>A table of <paramref name="record"/>'s ranges under a line counting them by state; nothing for a job that is not split.</summary>
    public static void Write(CliOutput output, BackfillRecord record)
    {
        if (record.Ranges.Count == 0)
        {
            return;
        }

        var counts = string.Join(", ", Enum.GetValues<BackfillRangeStatus>()
            .Select(s => (State: s, Count: record.Ranges.Count(r => r.Status == s)))
            .Where(c => c.Count > 0)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Count} {Text(c.State)}")));
        output.WriteText($"{TerminalText.Clean(record.Name)}: {record.Ranges.Count} key ranges ({counts}):");
        var table = new CliTable(
            new CliColumn("RANGE"),
            new CliColumn("STATUS"),
            new CliColumn("ROWS"),
            new CliColumn("HOLDER", Keep: 2, Shrinks: true),
            new CliColumn("UP TO", Keep: 1, Shrinks: true),
            new CliColumn("LAST KEY", Keep: 1, Shrinks: true));
        foreach (var range in record.Ranges)
        {
            table.Add(
                (range.Index + 1).ToString(CultureInfo.InvariantCulture),
                Text(range.Status),
                range.RowsCopied.ToString("N0", CultureInfo.InvariantCulture),
                range.Status == BackfillRangeStatus.Pending ? CliFormat.None : range.Holder,
                range.UpTo is null ? "(end)" : BackfillRenderer.Key(range.UpTo),
                BackfillRenderer.Key(range.LastKey));
        }

        table.Write(output);
    }

    private static string Text(BackfillRangeStatus status) => status.ToString().ToLowerInvariant();
}
