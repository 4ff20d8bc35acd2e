using System.Globalization;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Verifying;
using Cutover.Cli.Text;
using Cutover.Store;
using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// How backfill jobs read in <c>status</c> and while they run. Keys come from the source database and
/// errors and reasons from the databases, so they are cleaned for the terminal (<see cref="TerminalText"/>).
/// </summary>
internal static class BackfillRenderer
{
    /// <summary>The jobs' table, then for each job its backoff, its skipped rows and its key ranges; in a narrow terminal name, status and rows stay longest.</summary>
    public static void WriteTable(CliOutput output, IReadOnlyList<BackfillProgress> jobs, DateTimeOffset now)
    {
        var table = new CliTable(
            new CliColumn("NAME", Shrinks: true),
            new CliColumn("STATUS"),
            new CliColumn("ROWS"),
            new CliColumn("SKIPPED", Keep: 3),
            new CliColumn("ROWS/S", Keep: 2),
            new CliColumn("TIME LEFT", Keep: 1),
            new CliColumn("LAST KEY", Keep: 4, Shrinks: true),
            new CliColumn("UPDATED", Keep: 5),
            new CliColumn("LAST ERROR", Keep: 2, Shrinks: true));
        foreach (var job in jobs)
        {
            var record = job.Record;
            table.Add(
                record.Name,
                record.Status.ToString().ToLowerInvariant(),
                record.RowsCopied.ToString("N0", CultureInfo.InvariantCulture),
                SkippedRows.Parse(record.Skipped).Total.ToString("N0", CultureInfo.InvariantCulture),
                job.Copying ? job.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture) : CliFormat.None,
                TimeLeft(job),
                Key(record.LastKey),
                CliFormat.Time(record.UpdatedAt),
                record.LastError);
        }

        table.Write(output);
        foreach (var job in jobs)
        {
            WriteBackoff(output, job, now);
            WriteSkipped(output, job.Record.Name, SkippedRows.Parse(job.Record.Skipped));
            WriteVerify(output, job.Record.Name, VerifyResult.Parse(job.Record.LastVerify));
            BackfillRangesRenderer.Write(output, job.Record);
        }
    }

    /// <summary>"customers: backing off: WHY; waiting 4s (since 2026-01-01 10:00:00, 1m5s ago)"; nothing when the job is not backing off.</summary>
    private static void WriteBackoff(CliOutput output, BackfillProgress job, DateTimeOffset now)
    {
        if (job.Throttle is { Kind: ThrottleKind.BackingOff, Since: { } since })
        {
            output.WriteText($"{TerminalText.Clean(job.Record.Name)}: {TerminalText.Clean(job.Throttle.ToString())} (since {CliFormat.Time(since)}, {CliFormat.Elapsed((now - since).TotalSeconds)} ago)");
        }
    }

    /// <summary>The keys a job skipped under <c>onError: skip</c>, with why; nothing when none.</summary>
    private static void WriteSkipped(CliOutput output, string name, SkippedRows skipped)
    {
        if (skipped.Total == 0)
        {
            return;
        }

        var listed = skipped.Rows.Count < skipped.Total ? string.Create(CultureInfo.InvariantCulture, $", the first {skipped.Rows.Count} listed") : string.Empty;
        output.WriteText(string.Create(CultureInfo.InvariantCulture, $"{TerminalText.Clean(name)}: {skipped.Total:N0} row{(skipped.Total == 1 ? string.Empty : "s")} skipped (onError: skip){listed}:"));
        foreach (var row in skipped.Rows)
        {
            output.WriteText($"  {TerminalText.Clean(row.Key)}  {TerminalText.Clean(row.Reason)}");
        }
    }

    /// <summary>
    /// "customers: last verified 2026-12-07 13:02:11: 3 rows differ (1 missing, 1 extra, 1 different) of 1,000 source rows; first: (4) missing, (7) different [email]";
    /// nothing for a job never verified.
    /// </summary>
    private static void WriteVerify(CliOutput output, string name, VerifyResult? verify)
    {
        if (verify is null)
        {
            return;
        }

        var found = verify.Missing + verify.Extra + verify.Different;
        var ahead = verify.Ahead == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", {verify.Ahead:N0} newer in the target (kept)");
        var outcome = found == 0
            ? $"clean, {CliFormat.Count(verify.SourceRows, "source row")} and {CliFormat.Count(verify.TargetRows, "target row")}{ahead}"
            : string.Create(CultureInfo.InvariantCulture, $"{CliFormat.Rows(found)} {(verify.Repaired ? "differed" : CliFormat.Differ(found))} ({verify.Missing:N0} missing, {verify.Extra:N0} extra, {verify.Different:N0} different) of {CliFormat.Count(verify.SourceRows, "source row")}{ahead}");
        var repair = verify.Repaired
            ? string.Create(CultureInfo.InvariantCulture, $"; repaired: {CliFormat.Rows(verify.Recopied)} copied again, {verify.Deleted:N0} deleted, {verify.Remaining:N0} still {CliFormat.Differ(verify.Remaining)}")
            : string.Empty;
        var first = verify.FirstDifferences.Count == 0
            ? string.Empty
            : "; first: " + string.Join(", ", verify.FirstDifferences.Select(d => d.Columns.Count == 0 ? $"{d.Key} {Kind(d.Kind)}" : $"{d.Key} {Kind(d.Kind)} [{string.Join(", ", d.Columns)}]"));
        output.WriteText(TerminalText.Clean($"{name}: last verified {CliFormat.Time(verify.At)} (job {verify.JobStatus}): {outcome}{repair}{first}"));
    }

    private static string Kind(RowDifferenceKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>One line of progress, for output that is not a terminal.</summary>
    public static string Line(BackfillProgress progress)
    {
        var record = progress.Record;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Summary(progress)}, last key {Key(record.LastKey)}, throttle: {TerminalText.Clean(progress.Throttle.ToString())}");
    }

    /// <summary>The live progress bar's description: rows of the source, speed, time left and throttle state.</summary>
    public static string Bar(BackfillProgress progress) =>
        Markup.Escape(progress.Throttle.Kind == ThrottleKind.None ? Summary(progress) : $"{Summary(progress)} ({TerminalText.Clean(progress.Throttle.ToString())})");

    /// <summary>"customers: 400 of 1,000 rows, 50 rows/s, 12s left"; no speed or time left while paused ("customers: 400 of 1,000 rows").</summary>
    private static string Summary(BackfillProgress progress)
    {
        var record = progress.Record;
        var rows = progress.SourceRows is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"{record.RowsCopied:N0} of {CliFormat.Rows(total)}")
            : CliFormat.Rows(record.RowsCopied);
        var speed = progress.Copying ? string.Create(CultureInfo.InvariantCulture, $", {progress.RecentRowsPerSecond ?? progress.RowsPerSecond:N0} rows/s") : string.Empty;
        var left = progress.TimeLeft is null ? string.Empty : $", {TimeLeft(progress)} left";
        return $"{TerminalText.Clean(record.Name)}: {rows}{speed}{left}";
    }

    /// <summary>The time left as "1h02m", "3m05s" or "12s"; the none mark when unknown.</summary>
    private static string TimeLeft(BackfillProgress progress) => progress.TimeLeft switch
    {
        null => CliFormat.None,
        { TotalHours: >= 1 } left => string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}h{left.Minutes:00}m"),
        { TotalMinutes: >= 1 } left => string.Create(CultureInfo.InvariantCulture, $"{left.Minutes}m{left.Seconds:00}s"),
        var left => string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(left.Value.TotalSeconds):0}s"),
    };

    /// <summary>The line a finished run ends with.</summary>
    public static string Finished(BackfillProgress progress)
    {
        var record = progress.Record;
        return string.Create(CultureInfo.InvariantCulture,
            $"Backfill job '{TerminalText.Clean(record.Name)}' completed: {CliFormat.Rows(record.RowsCopied)} copied ({progress.RowsPerSecond:N0} rows/s this run), last key {Key(record.LastKey)}, checksum {record.Checksum}.{Skipped(record)}");
    }

    /// <summary>A key as shown: the source's values, cleaned for the terminal.</summary>
    internal static string Key(string? json) => TerminalText.Clean(KeyCodec.Display(json));

    private static string Skipped(BackfillRecord record) => SkippedRows.Parse(record.Skipped) is { Total: > 0 } skipped
        ? string.Create(CultureInfo.InvariantCulture, $" {skipped.Total:N0} row{(skipped.Total == 1 ? string.Empty : "s")} skipped: see `cutover backfill status {record.Name}`.")
        : string.Empty;
}
