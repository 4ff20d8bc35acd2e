using System.Globalization;
using Cutover.Core.Shadow;
using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Shows one stored divergent pair in full: what was asked, how each side answered and how fast,
/// both bodies side by side, marked by what the comparison said about each path (differing,
/// ignored, noise, or equal under the rules), and the differences the comparison found. A code-level migration's
/// sample names its call (app and sticky key) instead of a request, and shows both results' text. That is what a person
/// needs to decide whether the candidate is wrong or the comparison rules are.
/// </summary>
internal static class SampleRenderer
{
    private const string Absent = "(none)";

    /// <summary>Writes the sample: request line, both bodies aligned, a legend of the marks, then the differences table.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="sample">The sample.</param>
    /// <param name="ignored">The migration's <c>compare.ignore</c> paths.</param>
    /// <param name="noise">The paths learned as noise on the sample's endpoint.</param>
    public static void Write(CliOutput output, DivergenceSample sample, IReadOnlyList<string> ignored, IReadOnlyList<string> noise)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sample);
        output.Out.WriteLine($"Sample {sample.Id}: {TerminalText.Clean(sample.Endpoint)}, differing at {TerminalText.Clean(sample.Path)}, {CliFormat.Time(sample.Time)} UTC");
        if (sample.Request is { } request)
        {
            Request(output.Out, request, sample);
        }
        else if (sample.Call is { } call)
        {
            output.Out.WriteLine($"In-process call in {TerminalText.Clean(call.App)}, {(call.StickyKey is { } key ? $"sticky key {TerminalText.Clean(key)}" : "no sticky key")}: legacy's and the candidate's results");
        }

        output.Out.WriteLine();
        var byPath = JsonLines.Of(sample.Legacy.Body) is { } legacy && JsonLines.Of(sample.Candidate.Body) is { } candidate
            && ComparedPaths.Of(sample, ignored, noise) is { } paths
            ? PathDiff.Align(legacy, candidate, paths)
            : null;
        SideBySide.Write(output.Console, byPath ?? LineDiff.Align(Lines(sample.Legacy), Lines(sample.Candidate)), Title("legacy", sample.Legacy), Title("candidate", sample.Candidate));
        output.Out.WriteLine(SideBySide.Legend(output.Console, byPath is not null));
        output.Console.Write(Differences(sample));
        var unlisted = sample.TotalDifferences - sample.Differences.Count;
        if (unlisted > 0)
        {
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... and {unlisted} more (a sample lists the first {sample.Differences.Count})"));
        }
    }

    private static void Request(TextWriter output, SampleRequest request, DivergenceSample sample)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TerminalText.Clean(request.Method)} {TerminalText.Clean(request.Target)}: legacy {sample.Legacy.Status} in {sample.Legacy.LatencyMs:0.#} ms, candidate {sample.Candidate.Status} in {sample.Candidate.LatencyMs:0.#} ms"));
        if (request.Body.Length > 0)
        {
            output.WriteLine(request.BodyTruncated ? "Request body (cut short):" : "Request body:");
            foreach (var line in BodyLines.Of(request.Body))
            {
                output.WriteLine("  " + line);
            }
        }
    }

    private static IReadOnlyList<string> Lines(SampleResponse response) =>
        BodyLines.Of(response.Body) is { Count: > 0 } lines ? lines : ["(empty body)"];

    private static string Title(string side, SampleResponse response) => response.BodyTruncated ? $"{side} (body cut short)" : side;

    private static Table Differences(DivergenceSample sample)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "PATH", "KIND", "LEGACY", "CANDIDATE" })
        {
            table.AddColumn(column);
        }

        foreach (var difference in sample.Differences)
        {
            table.AddRow(
                Markup.Escape(TerminalText.Clean(difference.Path)),
                CliFormat.Kind(difference.Kind),
                Markup.Escape(TerminalText.Clean(difference.Legacy) ?? Absent),
                Markup.Escape(TerminalText.Clean(difference.Candidate) ?? Absent));
        }

        return table;
    }
}
