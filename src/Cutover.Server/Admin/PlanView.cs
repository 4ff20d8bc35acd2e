using Cutover.Core.Rollout;
using Cutover.Core.State;
using Cutover.Core.Values;

namespace Cutover.Server.Admin;

/// <summary>
/// A migration's plan as the admin API shows it: where it stands, the steps, and how much of the
/// current step's bake is done, so a person sees at a glance what the orchestrator waits for.
/// </summary>
/// <param name="Status">ready, running, paused, rolled-back, aborted or completed.</param>
/// <param name="Step">The current step, 1-based; null once completed.</param>
/// <param name="StepCount">How many steps the plan has.</param>
/// <param name="Steps">Every step, described ("weight 25", "pause 5m"; "weight 50, progress deadline 24h" for a step with its own deadline).</param>
/// <param name="StepStartedAt">When the current step began; null before the plan starts.</param>
/// <param name="BakedSeconds">How long the current step has run while the plan ran.</param>
/// <param name="Note">Why the plan is where it is.</param>
/// <param name="Gates">The gates, as written.</param>
/// <param name="Triggers">The triggers, as written (the defaults when the plan names none).</param>
/// <param name="PointOfNoReturn">The plan's point of no return and whether it was passed; null when it has none.</param>
/// <param name="Window">When the plan may move forward and whether it may now; null for any time.</param>
/// <param name="ProgressDeadline">How long a step may run before the plan pauses for a person ("30m"); null for no deadline.</param>
public sealed record PlanView(
    string Status,
    int? Step,
    int StepCount,
    IReadOnlyList<string> Steps,
    DateTimeOffset? StepStartedAt,
    double BakedSeconds,
    string Note,
    IReadOnlyList<string> Gates,
    IReadOnlyList<string> Triggers,
    PointOfNoReturnView? PointOfNoReturn,
    PlanWindowView? Window,
    string? ProgressDeadline)
{
    internal static PlanView? Of(RolloutPlan? plan, RolloutState? rollout, TimeSpan baked, DateTimeOffset now) => plan is null ? null : new(
        (rollout?.Status ?? RolloutStatus.Ready).ToWire(),
        rollout is null ? 1 : rollout.Step < plan.Steps.Count ? rollout.Step + 1 : null,
        plan.Steps.Count,
        [.. plan.Steps.Select(s => s.ProgressDeadline is { } own ? $"{s.Describe()}, progress deadline {Duration.Format(own)}" : s.Describe())],
        rollout?.StepStartedAt,
        Math.Round(baked.TotalSeconds, 1),
        rollout?.Note ?? "not started; `cutover promote` starts it",
        [.. plan.Gates.Select(g => g.Text)],
        [.. plan.Triggers.Select(t => t.Text)],
        plan.PointOfNoReturnIndex() is { } index
            ? new PointOfNoReturnView(index + 1, ((PointOfNoReturnStep)plan.Steps[index]).Note, plan.HasPassedPointOfNoReturn(rollout))
            : null,
        plan.Window is { } window ? PlanWindowView.Of(window, now) : null,
        plan.ProgressDeadline is { } deadline ? Duration.Format(deadline) : null);
}
