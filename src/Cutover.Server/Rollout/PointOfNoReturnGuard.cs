using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Server.Control;

namespace Cutover.Server.Rollout;

/// <summary>
/// A person's rollback past the plan's point of no return: refused unless forced, since legacy no
/// longer holds current data and sending users back would lose their writes; a forced one names
/// the step in its audit row.
/// </summary>
internal static class PointOfNoReturnGuard
{
    /// <summary>
    /// Throws a 409 naming the step and the fix when <paramref name="state"/>'s plan has passed its
    /// point of no return and <paramref name="force"/> is not set; otherwise the words a forced
    /// change's audit reason ends with (empty when the plan has not passed it, or is already rolled back).
    /// </summary>
    /// <param name="name">The migration.</param>
    /// <param name="plan">Its plan, or null.</param>
    /// <param name="state">Its state, against which the change is checked.</param>
    /// <param name="force">Whether the person forced the change.</param>
    /// <param name="command">The command that sends users back, as the fix names it (<c>rollback orders</c>, <c>weight orders 10</c>).</param>
    public static string Check(string name, RolloutPlan? plan, MigrationState state, bool force, string? command = null)
    {
        if (plan is null || state.Rollout?.Status == RolloutStatus.RolledBack || !plan.HasPassedPointOfNoReturn(state.Rollout))
        {
            return string.Empty;
        }

        var index = plan.PointOfNoReturnIndex()!.Value;
        var step = $"step {index + 1} ({plan.Steps[index].Describe()})";
        return force
            ? $"; forced past the point of no return at {step}"
            : throw new ControlException(409, "Past the point of no return",
                $"The plan of '{name}' passed its point of no return at {step}: legacy no longer holds current data, so sending users back to it would lose their writes. " +
                $"Bring legacy's data up to date first, then use `cutover {command ?? $"rollback {name}"} --force` (audited)" +
                (state.Rollout?.Status == RolloutStatus.Running ? $"; or hold the plan with `cutover pause {name}` while you look." : "."));
    }
}
