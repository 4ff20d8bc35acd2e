using System.Globalization;
using System.Text;

namespace Cutover.Bench.Fleet;

/// <summary>The results file: what was run, the propagation percentiles, the store's writes and the replicas' memory.</summary>
internal static class Report
{
    private static readonly string[] Moments = ["before followers", "with followers", "under traffic", "after changes"];

    public static string Write(Options options, Run run)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        var followersEach = options.Followers / (double)options.Replicas;
        Line($"# Fleet scale (bench/fleet), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line($"");
        Line($"- Commit: {options.Commit}");
        Line($"- Command: `{options.Command}`");
        Line($"- Machine: {Environment.GetEnvironmentVariable("BENCH_MACHINE") ?? Environment.ProcessorCount + " cores"}");
        Line($"- {options.Replicas} `cutover serve` replicas on one PostgreSQL, {options.Migrations} migrations (canary, one legacy and one candidate Kestrel backend shared by all),");
        Line($"  {options.Followers} Cutover.Client applications in this one process, following the replicas in turn ({followersEach:0} each): {options.Followers} event streams, one connection each");
        Line($"- {options.Changes} weight changes (10% <-> 90%) on random migrations through replica 1's admin API; traffic {options.Rate} requests/s over every migration and replica throughout");
        Line($"");
        Line($"## Time for a weight change to arrive (ms from the request sent)");
        Line($"");
        Line($"| Until | p50 | p99 | max | arrived |");
        Line($"|---|---:|---:|---:|---:|");
        var changes = run.Changes;
        Row(text, "the admin API answered (stored)", changes.Select(c => (TimeSpan?)c.Stored).ToList());
        for (var r = 0; r < options.Replicas; r++)
        {
            var index = r;
            Row(text, $"replica {r + 1}'s routing", changes.Select(c => c.Replicas[index]).ToList());
        }

        Row(text, "**every replica's routing**", changes.Select(c => c.EveryReplica).ToList());
        Row(text, "any one follower (all follower arrivals)", changes.SelectMany(c => c.Followers).ToList());
        Row(text, "**every follower**", changes.Select(c => c.EveryFollower).ToList());
        var sampled = changes.Where(c => c.SplitMoved is not null).ToList();
        Line($"");
        Line($"Percentiles by nearest rank over {changes.Count} changes (below 100 changes the p99 is the slowest); a row of follower arrivals counts each follower's arrival of each change.");
        Line($"Data plane: {sampled.Count(c => c.SplitMoved == true)} of {sampled.Count} sampled changes moved the split on every replica (100 sticky users each, the new side at >= 75%).");
        Line($"Followers: {run.Reconnects} stream drops or reconnects over the run.");
        foreach (var (message, count) in run.Warnings.Take(5))
        {
            Line($"- {count} x {message}");
        }

        Line($"");
        Line($"## Store writes and reads under traffic ({run.Seconds:0} s, {run.Sent} requests sent, {run.Failed} failed over the run)");
        Line($"");
        Line($"| Table | inserted/s | updated/s | deleted/s | rows written/s | rows read/s |");
        Line($"|---|---:|---:|---:|---:|---:|");
        foreach (var (table, writes) in run.Writes)
        {
            Line($"| {table} | {writes.Inserted / run.Seconds:0.0} | {writes.Updated / run.Seconds:0.0} | {writes.Deleted / run.Seconds:0.0} | {writes.Total / run.Seconds:0.0} | {writes.Read / run.Seconds:0} |");
        }

        Line($"| **all** | | | | **{run.Writes.Sum(w => w.Writes.Total) / run.Seconds:0.0}** | **{run.Writes.Sum(w => w.Writes.Read) / run.Seconds:0}** |");
        Line($"");
        Line($"Commits: {run.Commits / run.Seconds:0.0}/s. Replica CPU over the window (cores): {string.Join(", ", run.Cpu.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}.");
        Line($"");
        Line($"## Replica memory (MiB: resident / managed heap after the last GC)");
        Line($"");
        Line($"| Replica | {string.Join(" | ", Moments)} |");
        Line($"|---|{string.Concat(Moments.Select(_ => "---:|"))}");
        for (var r = 0; r < options.Replicas; r++)
        {
            var index = r;
            Line($"| {r + 1} | {string.Join(" | ", run.Memory.Select(m => Mib(m[index])))} |");
        }

        return text.ToString();
    }

    private static string Mib(ReplicaMemory m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Resident / 1048576.0:0} / {(m.Heap is { } h ? (h / 1048576.0).ToString("0", CultureInfo.InvariantCulture) : "?")}");

    private static void Row(StringBuilder text, string what, List<TimeSpan?> times)
    {
        // A change that never arrived (null) ranks above every one that did.
        var ranked = times.Select(t => t?.TotalMilliseconds ?? double.PositiveInfinity).Order().ToList();
        string At(double p) => ranked.Count == 0 ? "-" : ranked[Math.Max(0, (int)Math.Ceiling(p * ranked.Count) - 1)] is var v && double.IsInfinity(v)
            ? "never" : v.ToString("0", CultureInfo.InvariantCulture);
        text.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {At(0.50)} | {At(0.99)} | {At(1.0)} | {times.Count(t => t is not null)} of {times.Count} |");
    }
}
