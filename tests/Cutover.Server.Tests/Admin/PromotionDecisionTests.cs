using Cutover.Core.Analysis;
using Cutover.Server.Admin;

namespace Cutover.Server.Tests.Admin;

/// <summary>How the judge's reading becomes promote, wait or roll back.</summary>
public sealed class PromotionDecisionTests
{
    private static readonly ConditionView Met = new("candidate.errorRate <= 0.01", "met", 0, 0.01, "candidate.errorRate 0 <= 0.01");
    private static readonly TriggerView Quiet = new("candidate.p95 > 500 for 20s", "not-met", 12, 500, "candidate.p95 12 is not > 500", 20, null, null);

    [Fact]
    public void Of_GatesMetAndCandidateNotSlower_Promotes()
    {
        var decision = PromotionDecision.Of([Met], [Quiet], Latency(pSlower: 0.7), underWay: true);

        Assert.Equal("promote", decision.Verdict);
        Assert.Equal(["every gate is met (1)", "no trigger holds", "the candidate is not slower than legacy (Mann-Whitney: p = 0.7)"], decision.Reasons);
    }

    [Fact]
    public void Of_GatesMetButCandidateSlower_Waits()
    {
        var decision = PromotionDecision.Of([Met], [Quiet], Latency(pSlower: 0.001), underWay: true);

        Assert.Equal("wait", decision.Verdict);
        Assert.Equal(["the candidate is slower than legacy (Mann-Whitney: p = 0.001; a candidate request is the slower of a pair with probability 0.64)"], decision.Reasons);
    }

    [Fact]
    public void Of_TriggerHolds_RollsBackWhateverTheGatesSay()
    {
        var holding = Quiet with { Verdict = "met", Value = 800, Detail = "candidate.p95 800 > 500", HoldingSince = DateTimeOffset.UnixEpoch, HeldSeconds = 12.5 };

        var decision = PromotionDecision.Of([Met], [holding], Latency(pSlower: 0.7), underWay: true);

        Assert.Equal("roll-back", decision.Verdict);
        Assert.Equal(["trigger 'candidate.p95 > 500 for 20s' holds (candidate.p95 800 > 500), for 12.5 s of its 20 s"], decision.Reasons);
    }

    [Fact]
    public void Of_TriggerTrueOutsideAPlanUnderWay_StillSaysRollBack_WithoutCallingItHolding()
    {
        var rolledBack = Quiet with { Verdict = "met", Value = 800, Detail = "candidate.p95 800 > 500" };

        var decision = PromotionDecision.Of([Met], [rolledBack], Latency(pSlower: 0.7), underWay: false);

        Assert.Equal("roll-back", decision.Verdict);
        Assert.Equal(["trigger 'candidate.p95 > 500 for 20s' is true (candidate.p95 800 > 500), though not holding: it holds only while the plan is under way"], decision.Reasons);
    }

    [Fact]
    public void Of_NoLatencyTest_DoesNotHoldBackAPromotion()
    {
        var decision = PromotionDecision.Of([Met], [Quiet], null, underWay: true);

        Assert.Equal("promote", decision.Verdict);
        Assert.Contains("latencies not compared: a side served fewer than minSamples requests in the window", decision.Reasons);
    }

    private static MannWhitneyResult Latency(double pSlower) => new(300, 900, 172_800, 3.1, pSlower * 2, pSlower, 0.64);
}
