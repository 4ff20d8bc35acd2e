using System.Globalization;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Running;
using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>How backfill jobs read in <c>status</c> and while they run.</summary>
internal static class BackfillRenderer
{
    public static void WriteTable(IAnsiConsole console, IReadOnlyList<BackfillProgress> jobs)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("NAME", "STATUS", "ROWS", "ROWS/S", "LAST KEY", "UPDATED", "LAST ERROR");
        foreach (var job in jobs)
        {
            var record = job.Record;
            table.AddRow(
                Markup.Escape(record.Name),
                record.Status.ToString().ToLowerInvariant(),
                record.RowsCopied.ToString("N0", CultureInfo.InvariantCulture),
                job.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(KeyCodec.Display(record.LastKey)),
                CliFormat.Time(record.UpdatedAt),
                Markup.Escape(record.LastError ?? CliFormat.None));
        }

        console.Write(table);
    }

    /// <summary>One line of progress, for output that is not a terminal.</summary>
    public static string Line(BackfillProgress progress)
    {
        var record = progress.Record;
        var of = progress.SourceRows is { } total ? string.Create(CultureInfo.InvariantCulture, $" of {total:N0}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{record.Name}: {record.RowsCopied:N0}{of} rows, {progress.RowsPerSecond:N0} rows/s, last key {KeyCodec.Display(record.LastKey)}");
    }

    /// <summary>The line a finished run ends with.</summary>
    public static string Finished(BackfillProgress progress)
    {
        var record = progress.Record;
        return string.Create(CultureInfo.InvariantCulture,
            $"Backfill job '{record.Name}' completed: {record.RowsCopied:N0} rows copied ({progress.RowsPerSecond:N0} rows/s this run), last key {KeyCodec.Display(record.LastKey)}, checksum {record.Checksum}.");
    }
}
