using System.Globalization;
using Cutover.Cli.Text;
using Cutover.Core.Shadow;

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
        output.WriteText($"Sample {sample.Id}: {TerminalText.Clean(sample.Endpoint)}, differing at {TerminalText.Clean(sample.Path)}, {CliFormat.Time(sample.Time)} UTC");
        if (sample.Request is { } request)
        {
            Request(output, request, sample);
        }
        else if (sample.Call is { } call)
        {
            output.WriteText($"In-process call in {TerminalText.Clean(call.App)}, {(call.StickyKey is { } key ? $"sticky key {TerminalText.Clean(key)}" : "no sticky key")}: legacy's and the candidate's results");
        }

        output.Out.WriteLine();
        var byPath = JsonLines.Of(sample.Legacy.Body) is { } legacy && JsonLines.Of(sample.Candidate.Body) is { } candidate
            && ComparedPaths.Of(sample, ignored, noise) is { } paths
            ? PathDiff.Align(legacy, candidate, paths)
            : null;
        SideBySide.Write(output.Console, byPath ?? LineDiff.Align(Lines(sample.Legacy), Lines(sample.Candidate)), Title("legacy", sample.Legacy), Title("candidate", sample.Candidate));
        output.WriteText(SideBySide.Legend(output.Console, byPath is not null));
        Differences(sample).Write(output);
        var unlisted = sample.TotalDifferences - sample.Differences.Count;
        if (unlisted > 0)
        {
            output.WriteText(string.Create(CultureInfo.InvariantCulture, $"... and {unlisted} more (a sample lists the first {sample.Differences.Count})"));
        }
    }

    private static void Request(CliOutput output, SampleRequest request, DivergenceSample sample)
    {
        output.WriteText(string.Create(CultureInfo.InvariantCulture,
            $"{TerminalText.Clean(request.Method)} {TerminalText.Clean(request.Target)}: legacy {sample.Legacy.Status} in {sample.Legacy.LatencyMs:0.#} ms, candidate {sample.Candidate.Status} in {sample.Candidate.LatencyMs:0.#} ms"));
        if (request.Body.Length > 0)
        {
            output.WriteText(request.BodyTruncated ? "Request body (cut short):" : "Request body:");
            foreach (var line in BodyLines.Of(request.Body))
            {
                output.WriteText("  " + line);
            }
        }
    }

    private static IReadOnlyList<string> Lines(SampleResponse response) =>
        BodyLines.Of(response.Body) is { Count: > 0 } lines ? lines : ["(empty body)"];

    private static string Title(string side, SampleResponse response) => response.BodyTruncated ? $"{side} (body cut short)" : side;

    private static CliTable Differences(DivergenceSample sample)
    {
        var table = new CliTable(
            new CliColumn("PATH", Shrinks: true),
            new CliColumn("KIND", Keep: 1),
            new CliColumn("LEGACY", Shrinks: true),
            new CliColumn("CANDIDATE", Shrinks: true));
        foreach (var difference in sample.Differences)
        {
            table.Add(difference.Path, CliFormat.Kind(difference.Kind), difference.Legacy ?? Absent, difference.Candidate ?? Absent);
        }

        return table;
    }
}
