using System.Globalization;
using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Kernel.Link;
using Cutover.Kernel.Metrics;
using Cutover.Server.Control;
using Cutover.Server.Security;
using Cutover.Server.Shadow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cutover.Server.Admin;

/// <summary>
/// <c>POST /api/results</c>: the counts an application's in-process SDK reports for its
/// code-level migrations, added to this replica's counters as if the proxy had counted them, so
/// the history, the metrics exchange with the other replicas, gates, triggers, <c>GET .../metrics</c>
/// and the dashboard all judge them like proxied traffic; and its divergence samples, kept as
/// shadow evidence (<see cref="CallEvidence"/>) so <c>GET .../divergences</c> shows them. A report
/// is checked whole and then counted whole: a bad one counts nothing and says what to fix.
/// </summary>
internal static class ResultsIntake
{
    /// <summary>
    /// The largest body accepted: a second of a few hundred migrations' deltas fits many times
    /// over, with <see cref="SampleLimits.SamplesPerReport"/> samples at their largest even when
    /// every character of their text is written as a six-byte JSON escape.
    /// </summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The most migrations one report may carry.</summary>
    public const int MaxMigrations = 1000;

    private const string Example =
        """{"app": "billing", "migrations": [{"name": "billing-tax", "legacy": {"requests": 90, "errors": 0, "latency": "BASE64"}, "candidate": {"requests": 10, "errors": 1, "latency": null}, "shadow": {"compared": 1, "divergent": 1, "candidateErrors": 0}}], "samples": [{"migration": "billing-tax", "stickyKey": "user-1", "time": "2026-01-01T00:00:00Z", "legacy": "{\"tax\":19}", "candidate": "{\"tax\":21}", "legacyTruncated": false, "candidateTruncated": false, "differences": [{"path": "$.tax", "kind": "valueChanged", "legacy": "19", "candidate": "21"}], "totalDifferences": 1}]}""";

    public static async Task<IResult> ReceiveAsync(HttpRequest request, MigrationControl control, ShadowEvidence evidence, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge(request.ContentLength.Value);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        var report = await RequestBody.ReadAsync<ResultsReport>(request, Example, required: true, cancellationToken);
        if (Refusal(report!, control.Definition, AdminEndpoints.Caller(request)) is { } refusal)
        {
            return Results.Problem(refusal, statusCode: 403, title: "Results refused");
        }

        var errors = new List<string>();
        var known = control.Definition.Migrations.Where(m => m.Kind == MigrationKind.Code).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var counted = Check(report!, known, errors);
        var samples = SampleIntake.Check(report!.Samples, known, errors);
        if (errors.Count > 0)
        {
            return Results.Problem(
                $"The report was not counted: {string.Join("; ", errors)}. Send a body like {Example}.",
                statusCode: 400, title: "Invalid results", extensions: new Dictionary<string, object?> { ["errors"] = errors });
        }

        foreach (var (name, results) in counted)
        {
            var counters = control.Metrics.For(name);
            counters.Legacy.Add(results.Legacy.Requests, results.Legacy.Errors, results.Legacy.Latency);
            counters.Candidate.Add(results.Candidate.Requests, results.Candidate.Errors, results.Candidate.Latency);
            counters.Shadow.Add(results.Equal, results.Divergent, results.CandidateErrors);
        }

        var now = time.GetUtcNow();
        var reported = counted.ToDictionary(c => c.Name, c => c.Results, StringComparer.Ordinal);
        foreach (var name in reported.Keys.Union(samples.Select(s => s.Migration!), StringComparer.Ordinal))
        {
            var shadow = reported.GetValueOrDefault(name);
            CallEvidence.Merge(evidence, name, report.App!, (shadow?.Equal + shadow?.Divergent) ?? 0, shadow?.Divergent ?? 0, samples.Where(s => s.Migration == name), now);
        }

        return Results.Accepted(value: new { app = report.App, migrations = counted.Count, samples = samples.Count });
    }

    /// <summary>
    /// Why the report may not be counted at all: it names an HTTP migration, whose counts come from
    /// the proxy alone (a forged report could push its plan past a gate), or a migration the
    /// caller's token may not report on. Null when neither.
    /// </summary>
    private static string? Refusal(ResultsReport report, CutoverDefinition definition, AdminCaller caller)
    {
        var named = (report.Migrations ?? []).Select(m => m?.Name).Concat((report.Samples ?? []).Select(s => s?.Migration)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var proxied = named.Where(n => definition.Migrations.Any(m => m.Name == n && m.Kind == MigrationKind.Http)).ToList();
        if (proxied.Count > 0)
        {
            return $"{string.Join(", ", proxied)} {(proxied.Count == 1 ? "is an http migration" : "are http migrations")}, counted by the proxy alone; " +
                "results are taken only for kind: code migrations. Nothing of the report was counted.";
        }

        var forbidden = named.Where(n => !caller.MayChange(n)).ToList();
        return forbidden.Count > 0
            ? $"Token '{caller.Name}' may report only on {string.Join(", ", caller.Migrations!)}, not {string.Join(", ", forbidden)}. Nothing of the report was counted."
            : null;
    }

    private static List<(string Name, Checked Results)> Check(ResultsReport report, IReadOnlySet<string> known, List<string> errors)
    {
        var counted = new List<(string, Checked)>();
        if (string.IsNullOrWhiteSpace(report.App))
        {
            errors.Add("app is missing; give the reporting application's name");
        }

        if (report.Migrations is not { } migrations)
        {
            errors.Add("migrations is missing; give a list, empty when nothing ran");
            return counted;
        }

        if (migrations.Count > MaxMigrations)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"migrations has {migrations.Count} entries, more than {MaxMigrations}; send the deltas of fewer migrations per report"));
            return counted;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < migrations.Count; i++)
        {
            var entry = migrations[i];
            var at = $"migrations[{i}]";
            if (entry is null || string.IsNullOrWhiteSpace(entry.Name))
            {
                errors.Add($"{at}.name is missing; give the migration's name as in the control plane's config");
                continue;
            }

            at = $"migrations[{i}] ({entry.Name})";
            if (!known.Contains(entry.Name))
            {
                errors.Add($"{at} is not a code-level migration of this control plane; known: {(known.Count == 0 ? "none" : string.Join(", ", known))}");
                continue;
            }

            if (!seen.Add(entry.Name))
            {
                errors.Add($"{at} appears twice; send one entry per migration");
                continue;
            }

            var legacy = Side(entry.Legacy, $"{at}.legacy", errors);
            var candidate = Side(entry.Candidate, $"{at}.candidate", errors);
            var shadow = entry.Shadow ?? new ShadowResults(0, 0, 0);
            if (shadow.Compared < 0 || shadow.Divergent < 0 || shadow.CandidateErrors < 0 || shadow.Divergent > shadow.Compared)
            {
                errors.Add($"{at}.shadow counts must be 0 or more, with divergent at most compared");
                continue;
            }

            if (legacy is not null && candidate is not null)
            {
                counted.Add((entry.Name, new Checked(legacy, candidate, shadow.Compared - shadow.Divergent, shadow.Divergent, shadow.CandidateErrors)));
            }
        }

        return counted;
    }

    private static CheckedSide? Side(SideResults? side, string at, List<string> errors)
    {
        if (side is null)
        {
            return new CheckedSide(0, 0, HistogramSnapshot.Empty);
        }

        if (side.Requests < 0 || side.Errors < 0 || side.Errors > side.Requests)
        {
            errors.Add($"{at} counts must be 0 or more, with errors at most requests");
            return null;
        }

        try
        {
            return new CheckedSide(side.Requests, side.Errors, side.Latency is null ? HistogramSnapshot.Empty : HistogramSnapshot.FromBytes(side.Latency));
        }
        catch (FormatException e)
        {
            errors.Add($"{at}.latency is not a latency histogram as HistogramSnapshot.ToBytes writes it ({e.Message})");
            return null;
        }
    }

    private static ControlException TooLarge(long length) => new(413, "Request body too large",
        string.Create(CultureInfo.InvariantCulture, $"The report is {length} bytes, more than the {MaxBodyBytes} accepted; report more often (a shorter ReportInterval) so each report is smaller."));

    private sealed record CheckedSide(long Requests, long Errors, HistogramSnapshot Latency);

    private sealed record Checked(CheckedSide Legacy, CheckedSide Candidate, long Equal, long Divergent, long CandidateErrors);
}
