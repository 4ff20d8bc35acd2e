using System.Diagnostics;
using Cutover.Core.Rollout;
using Cutover.Core.Telemetry;
using Cutover.Kernel.Routing;

namespace Cutover.Server.Telemetry;

/// <summary>
/// The activity of a rollout decision acted on, the orchestrator's or a person's: from the
/// decision to the stored state, tagged with what was decided, so a trace shows when traffic moved and why.
/// </summary>
internal static class RolloutActivity
{
    /// <summary>The audit action: start, step, pause, rollback….</summary>
    public const string ActionTag = "cutover.rollout.action";

    /// <summary>The weight after the decision.</summary>
    public const string WeightTag = "cutover.weight";

    /// <summary>Who decided: <c>cutover</c> for the orchestrator, else the person or token.</summary>
    public const string ActorTag = "cutover.actor";

    /// <summary>Why, as the audit row says it.</summary>
    public const string ReasonTag = "cutover.rollout.reason";

    /// <summary>Starts the activity of a decision on <paramref name="migration"/> by <paramref name="actor"/>; null when nothing listens.</summary>
    public static Activity? Start(string migration, string actor)
    {
        var activity = CutoverActivities.Source.StartActivity(CutoverActivities.RolloutDecision);
        activity?.SetTag(CutoverActivities.MigrationTag, migration);
        activity?.SetTag(ActorTag, actor);
        return activity;
    }

    /// <summary>Starts the activity of <paramref name="decision"/>, already made.</summary>
    public static Activity? Start(string migration, string actor, RolloutDecision decision)
    {
        var activity = Start(migration, actor);
        Decided(activity, decision);
        return activity;
    }

    /// <summary>Tags the activity with what was decided.</summary>
    public static void Decided(Activity? activity, RolloutDecision decision) =>
        Decided(activity, decision.Action, decision.Mode, decision.Weight, decision.Reason);

    /// <summary>Tags the activity with what was decided.</summary>
    public static void Decided(Activity? activity, string action, MigrationMode mode, Weight weight, string reason)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(ActionTag, action);
        activity.SetTag(CutoverActivities.ModeTag, mode.ToWire());
        activity.SetTag(WeightTag, weight.Percent);
        activity.SetTag(ReasonTag, reason);
    }
}
