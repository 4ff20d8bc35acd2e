using System.Globalization;
using System.Text;

namespace Cutover.Bench.Dashboard;

/// <summary>The results file: every load, the medians, and each of the goals met or not.</summary>
internal static class Report
{
    public static string Write(Options options, IReadOnlyList<Load> loads, long requestsSent)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"# bench/dashboard — {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        Line($"");
        Line($"Command (from the repository root): `{options.Command}`");
        Line($"");
        Line($"- Commit {options.Commit}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; Debian's Chromium, headless, driven by Playwright");
        Line($"- A CutoverHost in process (SQLite store) with {options.Migrations} migrations in canary at 10%, under {options.Rate} requests/s spread over them ({requestsSent} sent in all); two Kestrel backends");
        Line($"- {loads.Count} loads of `/`, each in a new browser context (nothing cached), after one warm-up load; each tab kept open {options.Hold} s after its table was whole");
        Line($"");
        Line($"| load | first contentful paint (ms) | fleet table whole (ms) | rows | KB transferred before it | answers | event streams | chart reads in the hold | fastest re-read of one chart (ms) |");
        Line($"|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < loads.Count; i++)
        {
            var l = loads[i];
            Line($"| {i + 1} | {l.FirstContentfulPaintMs:0} | {l.TableMs:0} | {l.Rows} | {l.BytesBeforeTable / 1024.0:0.0} | {l.Requests} | {l.EventStreams} | {l.ChartReads} | {(l.FastestChartReadMs is { } f ? f.ToString("0", CultureInfo.InvariantCulture) : "–")} |");
        }

        var fcp = Median(loads.Select(l => l.FirstContentfulPaintMs));
        var table = Median(loads.Select(l => l.TableMs));
        var kb = Median(loads.Select(l => l.BytesBeforeTable / 1024.0));
        var streams = loads.Max(l => l.EventStreams);
        var fastest = loads.Where(l => l.FastestChartReadMs is not null).Select(l => l.FastestChartReadMs!.Value).DefaultIfEmpty(double.NaN).Min();
        Line($"| **median** | **{fcp:0}** | **{table:0}** | | **{kb:0.0}** | | max {streams} | | min {fastest:0} |");
        Line($"");
        Line($"Goals:");
        Line($"- first paint under 1 s with {options.Migrations} migrations: first contentful paint {fcp:0} ms, the whole table {table:0} ms (medians): {Verdict(fcp < 1000 && table < 1000)}");
        Line($"- under 300 KB transferred before the table is whole: {kb:0.0} KB (median): {Verdict(kb < 300)}");
        Line($"- one event-stream connection per tab: at most {streams} per tab: {Verdict(streams == 1)}");
        Line($"- charts refreshed at most every 2 s: one migration's metrics read again after at least {fastest:0} ms: {Verdict(!(fastest < 2000))}");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";
}
