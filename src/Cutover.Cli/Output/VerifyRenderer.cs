using System.Globalization;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Verifying;
using Cutover.Cli.Text;

namespace Cutover.Cli.Output;

/// <summary>How <c>backfill verify</c> reads: a summary line, each differing chunk with its rows (keys and columns from the databases, cleaned for the terminal), and the verdict.</summary>
internal static class VerifyRenderer
{
    /// <summary>Why repair leaves extra rows and the two ways on, ending the parenthesis it is put in.</summary>
    private const string KeptExtraRows =
        "the job has deletes: report; delete them by hand if the source no longer has them, or set 'deletes: apply' in the job file and run it with `cutover backfill run -f JOB.yaml` so that repair deletes them)";

    public static async Task WriteAsync(TextWriter writer, VerifyReport report)
    {
        var status = report.JobStatus.ToString().ToLowerInvariant();
        await writer.WriteLineAsync(Text(
            $"Verified backfill job '{report.Job}' ({status}): {report.SourceRows:N0} source rows, {report.TargetRows:N0} target rows, {report.Chunks:N0} chunks of up to {report.ChunkSize:N0} keys."));
        if (report.ChunksDiffering == 0)
        {
            await writer.WriteLineAsync(report.Ahead == 0 ? "Source and target hold the same rows." : Text($"Source and target hold the same rows, but for {Ahead(report)}."));
            return;
        }

        foreach (var chunk in report.MismatchedChunks)
        {
            await writer.WriteLineAsync();
            var deleted = chunk.Deleted > 0 ? Text($"{CliFormat.Count(chunk.Deleted, "extra row")} deleted, ") : string.Empty;
            var recopied = chunk.Recopied > 0 || chunk.Deleted > 0 ? Text($"; {CliFormat.Rows(chunk.Recopied)} copied again, {deleted}{chunk.Remaining:N0} still {CliFormat.Differ(chunk.Remaining)}") : string.Empty;
            await writer.WriteLineAsync(Text(
                $"Chunk ({TerminalText.Clean(chunk.After) ?? "start"}, {TerminalText.Clean(chunk.UpTo)}]: source {CliFormat.Rows(chunk.SourceRows)}, checksum {chunk.SourceChecksum}; target {CliFormat.Rows(chunk.TargetRows)}, checksum {chunk.TargetChecksum}{recopied}"));
            foreach (var row in chunk.Rows)
            {
                var columns = row.Columns.Count > 0 ? ": " + string.Join(", ", row.Columns.Select(c => TerminalText.Clean(c))) : string.Empty;
                await writer.WriteLineAsync($"  {Kind(row.Kind),-10} {TerminalText.Clean(row.Key)}{columns}");
            }

            var unlisted = chunk.Missing + chunk.Extra + chunk.Different - chunk.Rows.Count;
            if (unlisted > 0)
            {
                await writer.WriteLineAsync(Text($"  … and {unlisted:N0} more"));
            }
        }

        await writer.WriteLineAsync();
        if (report.MismatchedChunks.Count < report.ChunksDiffering)
        {
            await writer.WriteLineAsync(Text($"(The first {report.MismatchedChunks.Count:N0} differing chunks are listed; the counts below are complete.)"));
        }

        await writer.WriteLineAsync(Text(
            $"Found {CliFormat.Rows(report.Missing + report.Extra + report.Different)} that {CliFormat.Differ(report.Missing + report.Extra + report.Different)} in {report.ChunksDiffering:N0} of {report.Chunks:N0} chunks: {report.Missing:N0} missing in the target, {report.Extra:N0} extra in the target, {report.Different:N0} with different values{(report.Ahead == 0 ? string.Empty : $"; besides, {Ahead(report)}")}."));
        if (report.Repaired && report.Deletes == DeletePolicy.Apply)
        {
            await writer.WriteLineAsync(Text($"Repair copied {CliFormat.Count(report.Recopied, "source row")} again and deleted {CliFormat.Count(report.Deleted, "extra target row")}; {CliFormat.Rows(report.Remaining)} still {CliFormat.Differ(report.Remaining)}."));
        }
        else if (report.Repaired)
        {
            var extra = report.Extra > 0 ? $" (extra target rows are not deleted: {KeptExtraRows}" : string.Empty;
            await writer.WriteLineAsync(Text($"Repair copied {CliFormat.Count(report.Recopied, "source row")} again; {CliFormat.Rows(report.Remaining)} still {CliFormat.Differ(report.Remaining)}{extra}."));
        }
        else
        {
            var extra = report.Extra == 0 ? string.Empty
                : report.Deletes == DeletePolicy.Apply ? " and delete the extra target rows (the job has deletes: apply)"
                : $" (extra target rows are kept: {KeptExtraRows}";
            await writer.WriteLineAsync($"Run `cutover backfill verify {report.Job} --repair` to copy the differing chunks again{extra}.");
        }
    }

    /// <summary>"2 target rows newer than the source's (onConflict.keepNewer), which the copy keeps": rows that are not differences.</summary>
    private static string Ahead(VerifyReport report) =>
        Text($"{CliFormat.Count(report.Ahead, "target row")} newer than the source's (onConflict.keepNewer), which the copy keeps");

    private static string Kind(RowDifferenceKind kind) => kind switch
    {
        RowDifferenceKind.Missing => "missing",
        RowDifferenceKind.Extra => "extra",
        _ => "different",
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
