namespace Cutover.Core.State;

/// <summary>
/// A migration's progress through its plan, kept in the store with its mode and weight so a
/// restarted or second replica carries on at the same step with the bake time that was left.
/// </summary>
/// <param name="Status">Where the plan stands.</param>
/// <param name="Step">The current step, 0-based; equal to the step count once completed.</param>
/// <param name="StepStartedAt">When the current step began.</param>
/// <param name="WindowStart">When the current traffic level was set: gates judge the metrics since then.</param>
/// <param name="Baked">How long the current step has run while Cutover was up and the plan running: what a bake time counts.</param>
/// <param name="Note">Why the plan is where it is, for people: "waiting for promote", "gates inconclusive for 30m: …".</param>
public sealed record RolloutState(
    RolloutStatus Status,
    int Step,
    DateTimeOffset StepStartedAt,
    DateTimeOffset WindowStart,
    TimeSpan Baked,
    string Note);
