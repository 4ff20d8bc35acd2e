namespace Cutover.Core.Fleet;

/// <summary>
/// The counts of a set of migrations (the fleet, or one group): how many are migrated, in
/// progress, rolled back or not started, how often they were rolled back, and the mean latency
/// change of the migrated ones, and its success score.
/// </summary>
/// <param name="Total">Migrations counted; the four phases add up to it.</param>
/// <param name="Migrated">In <see cref="FleetPhase.Migrated"/>.</param>
/// <param name="InProgress">In <see cref="FleetPhase.InProgress"/>.</param>
/// <param name="RolledBack">In <see cref="FleetPhase.RolledBack"/>.</param>
/// <param name="NotStarted">In <see cref="FleetPhase.NotStarted"/>.</param>
/// <param name="Rollbacks">Rollbacks ever recorded, over all of them (a migration rolled back twice counts twice).</param>
/// <param name="LatencyMeasured">Migrated ones with a <see cref="LatencyChange"/>: the means are over these, and a reader sees how many of <paramref name="Migrated"/> they stand for.</param>
/// <param name="P50ChangePercent">The mean of their median latency changes, in percent, each migration weighing the same; null when none was measured.</param>
/// <param name="P99ChangePercent">The mean of their 99th percentile latency changes, in percent; null when none was measured.</param>
/// <param name="SuccessScore">0..100: the share migrated weighted by priority, less rollbacks (<see cref="Fleet.SuccessScore"/>); null for none counted.</param>
public sealed record FleetTally(
    int Total,
    int Migrated,
    int InProgress,
    int RolledBack,
    int NotStarted,
    int Rollbacks,
    int LatencyMeasured,
    double? P50ChangePercent,
    double? P99ChangePercent,
    double? SuccessScore)
{
    /// <summary>Counts the given migrations.</summary>
    public static FleetTally Of(IReadOnlyCollection<FleetMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var measured = members
            .Where(m => m.Phase == FleetPhase.Migrated && m.History.LatencyChange is not null)
            .Select(m => m.History.LatencyChange!)
            .ToList();
        return new FleetTally(
            members.Count,
            members.Count(m => m.Phase == FleetPhase.Migrated),
            members.Count(m => m.Phase == FleetPhase.InProgress),
            members.Count(m => m.Phase == FleetPhase.RolledBack),
            members.Count(m => m.Phase == FleetPhase.NotStarted),
            members.Sum(m => m.History.Rollbacks),
            measured.Count,
            measured.Count == 0 ? null : measured.Average(c => c.P50Percent),
            measured.Count == 0 ? null : measured.Average(c => c.P99Percent),
            Fleet.SuccessScore.Of(members));
    }
}
