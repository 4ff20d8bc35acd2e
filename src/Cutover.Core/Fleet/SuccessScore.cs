namespace Cutover.Core.Fleet;

/// <summary>
/// One number for how well a fleet's migration went, 0 to 100: the share of the fleet migrated,
/// each migration weighing by its priority (critical 4, high 3, normal 2, low 1), less half a
/// migration's weight for each of its rollbacks, never below 0. A fleet with every migration
/// done and none rolled back scores 100; moving the critical ones counts most; a rollback costs
/// more than leaving a migration alone, because it reached users (or nearly) before it was undone.
/// </summary>
public static class SuccessScore
{
    /// <summary>The part of a migration's weight each rollback takes away.</summary>
    public const double RollbackCost = 0.5;

    /// <summary>The score of <paramref name="members"/>, rounded to one decimal; null for none.</summary>
    public static double? Of(IReadOnlyCollection<FleetMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var total = members.Sum(m => WeightOf(m.Priority));
        if (total == 0)
        {
            return null;
        }

        var earned = members.Sum(m => (m.Phase == FleetPhase.Migrated ? WeightOf(m.Priority) : 0) - (RollbackCost * WeightOf(m.Priority) * m.History.Rollbacks));
        return Math.Round(Math.Max(0, 100 * earned / total), 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>How much a migration of <paramref name="priority"/> weighs in the score.</summary>
    public static int WeightOf(Priority priority) => priority switch
    {
        Priority.Critical => 4,
        Priority.High => 3,
        Priority.Normal => 2,
        _ => 1,
    };
}
