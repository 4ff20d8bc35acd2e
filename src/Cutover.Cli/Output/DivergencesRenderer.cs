using System.Globalization;
using Cutover.Cli.Text;
using Cutover.Core.Shadow;
using Cutover.Kernel.Routing;
using Cutover.Server.Admin;

namespace Cutover.Cli.Output;

/// <summary>
/// Shows a migration's divergences the way a person reviews them: this process's shadow counts
/// first (is shadowing working at all?), then where the candidate differs, grouped by endpoint and
/// path with how often (what to fix first), the noise that is left out (what is not being
/// checked), and one sample in full (what the difference looks like). Sentences and tables fit a
/// terminal's width, and stay whole lines in a pipe for grep (<see cref="CliOutput.WriteText"/>,
/// <see cref="CliTable"/>).
/// </summary>
internal static class DivergencesRenderer
{
    private const int MaxOtherSamples = 10;

    /// <summary>Writes the whole report, or the counts and what to do when nothing has been compared yet.</summary>
    public static void Write(CliOutput output, DivergencesView view)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(view);
        output.WriteText(Summary(view));
        if (view.Endpoints.Count == 0)
        {
            output.Out.WriteLine();
            output.WriteText(NothingCompared(view));
            return;
        }

        Groups(view.Endpoints).Write(output);
        Noise(output, view.Endpoints);
        output.Out.WriteLine();
        if (view.Sample is not { } sample)
        {
            output.WriteText(view.Endpoints.All(e => e.Divergent == 0)
                ? "Every compared answer of the candidate matched legacy's."
                : "No sample is stored yet.");
            return;
        }

        var noise = view.Endpoints.FirstOrDefault(e => e.Endpoint == sample.Endpoint)?.Noise.Select(n => n.Path).ToList() ?? [];
        SampleRenderer.Write(output, sample, view.Ignored, noise);
        OtherSamples(output, view, sample);
    }

    private static string Summary(DivergencesView view)
    {
        var shadow = view.Shadow;
        var rate = shadow.Compared > 0 ? $" ({CliFormat.Percent(shadow.DivergenceRate)})" : string.Empty;
        var lastError = shadow.LastCandidateError is { } error ? $"; last candidate error: {TerminalText.Clean(error)}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{TerminalText.Clean(view.Migration)} (mode {TerminalText.Clean(view.Mode)}), this Cutover process: mirrored {shadow.Mirrored}, compared {shadow.Compared}, divergent {shadow.Divergent}{rate}, dropped {shadow.Dropped}, skipped {shadow.Skipped}, candidate errors {shadow.CandidateErrors}{lastError}");
    }

    private static string NothingCompared(DivergencesView view)
    {
        var migration = TerminalText.Clean(view.Migration);
        return (MigrationModes.TryParse(view.Mode, out var mode) ? mode : MigrationMode.Legacy) switch
        {
            MigrationMode.Shadow => $"Nothing compared yet. {migration} is in shadow mode: each request legacy serves is copied to the candidate and the answers are compared. Send traffic through the proxy and run `cutover diff {migration}` again.",
            MigrationMode.Canary => $"Nothing compared yet. In canary mode requests are copied only with `shadow: {{ alsoInCanary: true }}` in the config (those of the users still on legacy): send traffic through the proxy, or start shadowing with `cutover mode {migration} shadow` (legacy then answers every user and the candidate gets copies).",
            _ => $"Nothing compared yet. To compare the candidate's answers with legacy's, start shadowing: `cutover mode {migration} shadow` (legacy then answers every user and the candidate gets copies).",
        };
    }

    /// <summary>Each endpoint's differing paths; in a narrow terminal endpoint, path and count stay longest.</summary>
    private static CliTable Groups(IReadOnlyList<EndpointDivergence> endpoints)
    {
        var table = new CliTable(
            new CliColumn("ENDPOINT", Shrinks: true),
            new CliColumn("PATH", Shrinks: true),
            new CliColumn("KIND", Keep: 2),
            new CliColumn("COUNT"),
            new CliColumn("SHARE", Keep: 1),
            new CliColumn("FIRST SEEN (UTC)", Keep: 4),
            new CliColumn("LAST SEEN (UTC)", Keep: 3));
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Paths.Count == 0)
            {
                table.Add(endpoint.Endpoint, "(no differences)", string.Empty, "0", Share(0, endpoint.Compared),
                    CliFormat.Time(endpoint.FirstSeen), CliFormat.Time(endpoint.LastSeen));
            }

            foreach (var path in endpoint.Paths)
            {
                table.Add(
                    endpoint.Endpoint,
                    path.Path,
                    CliFormat.Kind(path.Kind),
                    path.Count.ToString(CultureInfo.InvariantCulture),
                    Share(path.Count, endpoint.Compared),
                    CliFormat.Time(path.FirstSeen),
                    CliFormat.Time(path.LastSeen));
            }
        }

        return table;
    }

    private static string Share(long count, long compared) => compared > 0 ? CliFormat.Share((double)count / compared, compared) : CliFormat.None;

    private static void Noise(CliOutput output, IReadOnlyList<EndpointDivergence> endpoints)
    {
        var noisy = endpoints.Where(e => e.Noise.Count > 0).ToList();
        if (noisy.Count == 0)
        {
            return;
        }

        output.WriteText("Learned noise (differs between two answers of legacy to the same request, so it is not compared):");
        foreach (var endpoint in noisy)
        {
            output.WriteText($"  noise on {TerminalText.Clean(endpoint.Endpoint)}: {string.Join(", ", endpoint.Noise.Select(n => TerminalText.Clean(n.Path)))}");
        }
    }

    private static void OtherSamples(CliOutput output, DivergencesView view, DivergenceSample shown)
    {
        var others = view.Endpoints.SelectMany(e => e.Samples).Select(s => s.Id).Where(id => id != shown.Id).Distinct().ToList();
        if (others.Count == 0)
        {
            return;
        }

        var listed = string.Join(", ", others.Take(MaxOtherSamples).Select(id => id.ToString(CultureInfo.InvariantCulture)));
        output.WriteText($"Other samples: {listed}{(others.Count > MaxOtherSamples ? ", ..." : string.Empty)}. Show one with `cutover diff {TerminalText.Clean(view.Migration)} --sample ID`.");
    }
}
