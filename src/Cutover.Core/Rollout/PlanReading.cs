using Cutover.Core.Analysis;
using Cutover.Core.State;

namespace Cutover.Core.Rollout;

/// <summary>
/// What a plan's gates and triggers read at one moment, for a person watching it rather than for a
/// decision: the gates over the current step's window, each trigger over its own window with how
/// long it has held, and the rank test of the latencies.
/// </summary>
/// <param name="From">Where the gates' window starts (the first whole bucket at the current traffic level).</param>
/// <param name="To">The moment read.</param>
/// <param name="MinSamples">The plan's minSamples.</param>
/// <param name="Gates">The gates that apply at the current traffic, evaluated over the window.</param>
/// <param name="Triggers">Every trigger with its evaluation and how long it has held.</param>
/// <param name="Latency">The Mann-Whitney test over the gates' window; null (inconclusive) when a side has fewer than <paramref name="MinSamples"/> requests, as the latency gates read it.</param>
/// <param name="StepBake">How long the current step bakes (a shadow step's or a timed pause's duration); null for a step without one.</param>
/// <param name="Status">The plan's status when read; <see cref="RolloutStatus.Ready"/> for a plan never started.</param>
public sealed record PlanReading(
    DateTimeOffset From,
    DateTimeOffset To,
    int MinSamples,
    IReadOnlyList<ConditionEvaluation> Gates,
    IReadOnlyList<TriggerReading> Triggers,
    MannWhitneyResult? Latency,
    TimeSpan? StepBake,
    RolloutStatus Status)
{
    /// <summary>Whether the plan is running or paused: only then can a trigger hold and roll back.</summary>
    public bool UnderWay => Status.IsActive();
}
