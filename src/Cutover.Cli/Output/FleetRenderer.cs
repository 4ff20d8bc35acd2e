using System.Globalization;
using Cutover.Cli.Text;
using Cutover.Core.Fleet;
using Cutover.Server.Admin;

namespace Cutover.Cli.Output;

/// <summary>
/// Shows the fleet summary of <c>GET /api/fleet</c> the way the people who run many migrations
/// read it: one sentence of counts (how far are we, how often did it go wrong), one of latency
/// (did moving make things faster), then the counts of each group; and for one migration, where
/// its time went step by step. Sentences and tables fit a terminal's width, and stay whole lines
/// in a pipe for grep (<see cref="CliOutput.WriteText"/>, <see cref="CliTable"/>).
/// </summary>
internal static class FleetRenderer
{
    /// <summary>The counts and latency of the fleet (or the group asked for), then each group's counts when there is more than one.</summary>
    public static void WriteSummary(CliOutput output, FleetView fleet)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fleet);
        var totals = fleet.Totals;
        output.WriteText(string.Create(CultureInfo.InvariantCulture,
            $"{(fleet.Group is { } group ? $"Group {TerminalText.Clean(group)}" : "Fleet")}: {Count(totals.Total, "migration")}: {totals.Migrated} migrated, {totals.InProgress} in progress, " +
            $"{totals.RolledBack} rolled back, {totals.NotStarted} not started; {Count(totals.Rollbacks, "rollback")}; success score {Score(totals.SuccessScore)}."));
        output.WriteText(Latency(totals));
        if (fleet.Groups.Count > 1)
        {
            Groups(fleet.Groups).Write(output);
        }
    }

    /// <summary>One migration's steps with their times, its rollbacks and its latency change.</summary>
    public static void WriteMigration(CliOutput output, FleetMigrationView migration)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(migration);
        if (migration.Steps.Count > 0)
        {
            output.Out.WriteLine("Steps of the plan's latest run:");
            Steps(migration.Steps).Write(output);
        }

        output.WriteText($"{TerminalText.Clean(migration.Name)}: {TerminalText.Clean(migration.Phase)}, {Count(migration.Rollbacks, "rollback")}; " + (migration.LatencyChange is { } change
            ? string.Create(CultureInfo.InvariantCulture,
                $"latency when the plan last moved on with both sides measured ({CliFormat.Time(change.At)} UTC): p50 {change.LegacyP50Ms:0.##} ms -> {change.CandidateP50Ms:0.##} ms ({Change(change.P50Percent)}), p99 {change.LegacyP99Ms:0.##} ms -> {change.CandidateP99Ms:0.##} ms ({Change(change.P99Percent)}).")
            : "no latency change measured (no move of its plan had enough requests on both sides)."));
    }

    /// <summary>The plan column of the status table: status, step and how long the step has lasted, such as "running 2/4, 1m30s".</summary>
    public static string Plan(PlanView? plan, FleetMigrationView? migration)
    {
        if (plan is null)
        {
            return CliFormat.None;
        }

        var step = plan.Step is { } number ? string.Create(CultureInfo.InvariantCulture, $" {number}/{plan.StepCount}") : string.Empty;
        var current = migration?.Steps.LastOrDefault(s => s.LeftAt is null);
        return TerminalText.Clean(plan.Status) + step + (current is null ? string.Empty : ", " + CliFormat.Elapsed(current.Seconds));
    }

    private static string Latency(FleetTally totals) => totals.LatencyMeasured == 0
        ? $"Latency change of the migrated: none measured ({totals.Migrated} migrated, none with a plan step that had enough requests on both sides)."
        : string.Create(CultureInfo.InvariantCulture,
            $"Latency change of the migrated ({totals.LatencyMeasured} of {totals.Migrated} measured), candidate against legacy: p50 {Change(totals.P50ChangePercent)}, p99 {Change(totals.P99ChangePercent)}.");

    private static CliTable Groups(IReadOnlyList<FleetGroupView> groups)
    {
        var table = new CliTable(
            new CliColumn("GROUP", Shrinks: true),
            new CliColumn("TOTAL"),
            new CliColumn("MIGRATED"),
            new CliColumn("IN PROGRESS"),
            new CliColumn("ROLLED BACK", Keep: 1),
            new CliColumn("NOT STARTED", Keep: 2),
            new CliColumn("ROLLBACKS", Keep: 1),
            new CliColumn("P50 CHANGE", Keep: 3),
            new CliColumn("P99 CHANGE", Keep: 3));
        foreach (var group in groups)
        {
            var t = group.Totals;
            table.Add(
                group.Group is null ? "(none)" : group.Lockstep ? $"{group.Group} (lockstep)" : group.Group,
                Number(t.Total),
                Number(t.Migrated),
                Number(t.InProgress),
                Number(t.RolledBack),
                Number(t.NotStarted),
                Number(t.Rollbacks),
                Change(t.P50ChangePercent),
                Change(t.P99ChangePercent));
        }

        return table;
    }

    private static CliTable Steps(IReadOnlyList<StepTimeView> steps)
    {
        var table = new CliTable(
            new CliColumn("STEP"),
            new CliColumn("DESCRIPTION", Shrinks: true),
            new CliColumn("ENTERED (UTC)", Keep: 2),
            new CliColumn("LEFT (UTC)", Keep: 1),
            new CliColumn("TIME"));
        foreach (var step in steps)
        {
            table.Add(
                Number(step.Step),
                step.Description,
                CliFormat.Time(step.EnteredAt),
                step.LeftAt is { } left ? CliFormat.Time(left) : CliFormat.None,
                CliFormat.Elapsed(step.Seconds) + (step.LeftAt is null ? " so far" : string.Empty));
        }

        return table;
    }

    /// <summary>A change in percent with its sign, so slower (+) and faster (-) read apart at a glance.</summary>
    private static string Change(double? percent) =>
        percent is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:+0.##;-0.##;0}%") : CliFormat.None;

    /// <summary>The success score out of 100, such as "87.5/100"; "—" for an empty fleet.</summary>
    private static string Score(double? score) =>
        score is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:0.#}/100") : CliFormat.None;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
