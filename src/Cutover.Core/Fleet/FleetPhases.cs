using Cutover.Core.State;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Fleet;

/// <summary>Which <see cref="FleetPhase"/> a migration is in, and the phases' wire names.</summary>
public static class FleetPhases
{
    /// <summary>
    /// The phase of a stored state. A plan under way wins (it is in charge of the traffic); then a
    /// candidate serving everything or a completed plan counts as migrated; then a rolled-back
    /// plan; then the mode says whether traffic has moved at all. So a person who moves a
    /// rolled-back migration to <c>candidate</c> by hand sees it counted as migrated.
    /// </summary>
    public static FleetPhase Of(MigrationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var plan = state.Rollout?.Status;
        if (plan?.IsActive() == true)
        {
            return FleetPhase.InProgress;
        }

        if (state.Mode is MigrationMode.Candidate or MigrationMode.Retired || plan == RolloutStatus.Completed)
        {
            return FleetPhase.Migrated;
        }

        if (plan == RolloutStatus.RolledBack)
        {
            return FleetPhase.RolledBack;
        }

        return state.Mode is MigrationMode.Shadow or MigrationMode.Canary ? FleetPhase.InProgress : FleetPhase.NotStarted;
    }

    /// <summary>The wire name of a phase.</summary>
    public static string ToWire(this FleetPhase phase) => phase switch
    {
        FleetPhase.NotStarted => "not-started",
        FleetPhase.InProgress => "in-progress",
        FleetPhase.Migrated => "migrated",
        FleetPhase.RolledBack => "rolled-back",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };
}
