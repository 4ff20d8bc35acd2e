using System.Globalization;
using Cutover.Core.Analysis;

namespace Cutover.Server.Admin;

/// <summary>
/// What the judge's reading means for the canary now, for the person who decides: <c>roll-back</c>
/// when a trigger's condition is true (under way, the plan rolls back by itself once it has held for its <c>for</c>),
/// <c>wait</c> while a gate is not met or inconclusive or the Mann-Whitney test finds the candidate
/// slower than legacy (one-sided p below 0.05), otherwise <c>promote</c>. It decides nothing: the
/// plan still moves by its own rules, and a person by <c>cutover promote</c> or <c>cutover rollback</c>.
/// </summary>
/// <param name="Verdict">promote, wait or roll-back.</param>
/// <param name="Reasons">Why, one sentence each, the reasons of the verdict first.</param>
public sealed record PromotionDecision(string Verdict, IReadOnlyList<string> Reasons)
{
    /// <summary>The one-sided p-value under which the candidate counts as slower than legacy.</summary>
    public const double SlowerBelow = 0.05;

    internal static PromotionDecision Of(IReadOnlyList<ConditionView> gates, IReadOnlyList<TriggerView> triggers, MannWhitneyResult? latency, bool underWay)
    {
        // A trigger whose condition is true holds (and can roll back) only while the plan is under way; one true
        // outside it still says the candidate fails the plan's own measure.
        var holding = triggers.Where(t => t.Verdict == "met")
            .Select(t => !underWay
                ? $"trigger '{t.Condition}' is true ({t.Detail}), though not holding: it holds only while the plan is under way"
                : Invariant($"trigger '{t.Condition}' holds ({t.Detail}), for {t.HeldSeconds ?? 0:0.#} s of its {t.ForSeconds:0.#} s"))
            .ToList();
        if (holding.Count > 0)
        {
            return new PromotionDecision("roll-back", holding);
        }

        var waiting = gates.Where(g => g.Verdict != "met").Select(g => $"gate '{g.Condition}' is {(g.Verdict == "not-met" ? "not met" : "inconclusive")}: {g.Detail}").ToList();
        if (latency is { PValueCandidateSlower: < SlowerBelow })
        {
            waiting.Add(Invariant($"the candidate is slower than legacy (Mann-Whitney: p = {latency.PValueCandidateSlower:0.####}; a candidate request is the slower of a pair with probability {latency.ProbabilityCandidateSlower:0.##})"));
        }

        if (waiting.Count > 0)
        {
            return new PromotionDecision("wait", waiting);
        }

        return new PromotionDecision("promote",
        [
            gates.Count == 0 ? "the plan has no gates at this traffic" : $"every gate is met ({gates.Count})",
            "no trigger holds",
            latency is null
                ? "latencies not compared: a side served fewer than minSamples requests in the window"
                : Invariant($"the candidate is not slower than legacy (Mann-Whitney: p = {latency.PValueCandidateSlower:0.####})"),
        ]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
