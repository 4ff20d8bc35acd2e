using Cutover.Core.State;

namespace Cutover.Core.Rollout;

/// <summary>
/// The commands that work on a plan in each status, as the hint a refused command ends with. One
/// place, so no refusal ever points at a command that the plan's status refuses in turn (an aborted
/// plan's <c>pause</c> once suggested <c>promote</c>, which then suggested <c>retry</c>).
/// </summary>
public static class PlanHints
{
    /// <summary>
    /// "Use `cutover …`" naming what works on <paramref name="migration"/>'s plan in
    /// <paramref name="status"/>; <paramref name="waitsForPromote"/> says a paused plan stands on a
    /// pause step without a duration, which only <c>promote</c> (or <c>abort</c>) ends.
    /// </summary>
    public static string For(RolloutStatus status, string migration, bool waitsForPromote = false) => status switch
    {
        RolloutStatus.Ready => $"Use `cutover promote {migration}` to start it, or `cutover abort {migration}` to end it unstarted.",
        RolloutStatus.Running => $"Use `cutover promote {migration}` to move on, `cutover pause {migration}` to hold it, or `cutover abort {migration}` to end it.",
        RolloutStatus.Paused when waitsForPromote => $"Use `cutover promote {migration}` to move on, or `cutover abort {migration}` to end it.",
        RolloutStatus.Paused => $"Use `cutover resume {migration}` or `cutover promote {migration}` to go on, or `cutover abort {migration}` to end it.",
        RolloutStatus.RolledBack or RolloutStatus.Aborted => $"Use `cutover retry {migration}` to start it again from its first step.",
        _ => "It has run to its end; no plan command applies (`cutover apply` of a file with a new plan gives it another).",
    };
}
