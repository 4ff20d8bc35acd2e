namespace Cutover.Core.Fleet;

/// <summary>
/// Where a migration stands in the fleet summary, one of four so the counts add up to the total.
/// Wire names are lower-case with dashes (<see cref="FleetPhases"/>).
/// </summary>
public enum FleetPhase
{
    /// <summary>All traffic is still on legacy and no plan is under way.</summary>
    NotStarted,

    /// <summary>A plan is running or paused, or traffic is partly moved (shadow, canary).</summary>
    InProgress,

    /// <summary>The candidate serves everything (candidate, retired) or the plan completed.</summary>
    Migrated,

    /// <summary>The plan's latest run ended in a rollback, and traffic has not moved on since.</summary>
    RolledBack,
}
