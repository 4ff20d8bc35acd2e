using Cutover.Backfill.Copying;
using Cutover.Backfill.Running;
using Cutover.Core.Analysis;
using Cutover.Core.State;
using Cutover.Core.Rollout;

namespace Cutover.Server.Admin;

/// <summary>
/// The answer of <c>GET /api/migrations/{name}/judge</c>: the plan's gates and triggers as they
/// read now, each with its value and threshold, so a person sees how close the plan is to moving
/// on or rolling back without waiting for the audit row that records the decision.
/// </summary>
/// <param name="Name">The migration.</param>
/// <param name="From">Where the gates' window starts.</param>
/// <param name="To">The moment read.</param>
/// <param name="MinSamples">The plan's minSamples: fewer requests on a side leave a comparison inconclusive.</param>
/// <param name="Gates">The gates that apply at the current traffic.</param>
/// <param name="Triggers">Every trigger, with how long it has held of its <c>for</c>.</param>
/// <param name="LatencyTest">The Mann-Whitney test of the latencies over the gates' window; null (inconclusive) when a side has too few samples.</param>
/// <param name="StepBakeSeconds">How long the current step bakes; null for a step without a bake time.</param>
/// <param name="Backfill">The job of the current step when it is a backfill step and the job has started (as <c>GET /api/backfills/{job}</c> shows it); else null.</param>
/// <param name="Decision">The gates, triggers and latency test turned into promote, wait or roll back, with the reasons.</param>
/// <param name="PlanStatus">The plan's status when read (ready, running, paused, rolled-back, aborted, completed): only a plan running or paused acts on the reading.</param>
public sealed record JudgeView(
    string Name,
    DateTimeOffset From,
    DateTimeOffset To,
    int MinSamples,
    IReadOnlyList<ConditionView> Gates,
    IReadOnlyList<TriggerView> Triggers,
    MannWhitneyResult? LatencyTest,
    double? StepBakeSeconds,
    BackfillView? Backfill,
    PromotionDecision Decision,
    string PlanStatus)
{
    internal static JudgeView Of(string name, PlanReading reading, BackfillProgress? backfill)
    {
        List<ConditionView> gates = [.. reading.Gates.Select(ConditionView.Of)];
        List<TriggerView> triggers = [.. reading.Triggers.Select(t => TriggerView.Of(t, reading.To))];
        return new(
            name,
            reading.From,
            reading.To,
            reading.MinSamples,
            gates,
            triggers,
            reading.Latency,
            reading.StepBake?.TotalSeconds,
            backfill is null ? null : BackfillView.Of(backfill),
            PromotionDecision.Of(gates, triggers, reading.Latency, reading.UnderWay),
            reading.Status.ToWire());
    }
}

/// <summary>A gate as read now.</summary>
/// <param name="Condition">As written in the plan.</param>
/// <param name="Verdict">met, not-met, or inconclusive (too few samples, which is never a pass).</param>
/// <param name="Value">The measured side of the comparison; null without data.</param>
/// <param name="Threshold">What it is compared with; null without data.</param>
/// <param name="Detail">The comparison in words, with its numbers.</param>
public sealed record ConditionView(string Condition, string Verdict, double? Value, double? Threshold, string Detail)
{
    internal static ConditionView Of(ConditionEvaluation evaluation) =>
        new(evaluation.Condition, Wire(evaluation.Verdict), evaluation.Left, evaluation.Right, evaluation.Detail);

    internal static string Wire(ConditionVerdict verdict) => verdict switch
    {
        ConditionVerdict.Met => "met",
        ConditionVerdict.NotMet => "not-met",
        _ => "inconclusive",
    };
}

/// <summary>A trigger as read now: <c>met</c> means its condition holds, and it rolls back once it has held for <paramref name="ForSeconds"/>.</summary>
/// <param name="Condition">As written in the plan.</param>
/// <param name="Verdict">met (holding), not-met, or inconclusive.</param>
/// <param name="Value">The measured side; null without data.</param>
/// <param name="Threshold">What it is compared with; null without data.</param>
/// <param name="Detail">The comparison in words.</param>
/// <param name="ForSeconds">How long it must hold before the plan rolls back.</param>
/// <param name="HoldingSince">Since when it has held without a break; null when it is not holding.</param>
/// <param name="HeldSeconds">How long it has held so far; null when it is not holding.</param>
public sealed record TriggerView(
    string Condition, string Verdict, double? Value, double? Threshold, string Detail, double ForSeconds, DateTimeOffset? HoldingSince, double? HeldSeconds)
{
    internal static TriggerView Of(TriggerReading trigger, DateTimeOffset now)
    {
        var e = trigger.Evaluation;
        return new(e.Condition, ConditionView.Wire(e.Verdict), e.Left, e.Right, e.Detail, trigger.For.TotalSeconds,
            trigger.HoldingSince, trigger.HoldingSince is { } since ? Math.Round((now - since).TotalSeconds, 1) : null);
    }
}
