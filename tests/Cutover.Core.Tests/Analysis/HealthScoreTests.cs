using Cutover.Core.Analysis;
using static Cutover.Core.Tests.Analysis.TestWindows;

namespace Cutover.Core.Tests.Analysis;

/// <summary>Latencies here are under 128 µs, which the histogram keeps exactly, so p95 ratios are exact.</summary>
public sealed class HealthScoreTests
{
    [Theory]
    [InlineData(10, 10, 1.0)]
    [InlineData(30, 10, 0.8)] // two points of excess error rate
    [InlineData(5, 10, 1.0)] // fewer errors than legacy: no credit beyond 1
    [InlineData(60, 10, 0.5)]
    [InlineData(210, 10, 0.0)] // clamped
    public void Of_CandidateErrorsAboveLegacy_CostATenthPerPoint(int candidateErrors, int legacyErrors, double score)
    {
        var window = Window(Side(1000, legacyErrors, 100), Side(1000, candidateErrors, 100));

        Assert.Equal(score, HealthScore.Of(window, 200)!.Value, 9);
    }

    [Fact]
    public void Of_LegacyWithTooFewRequests_CountsErrorsFromZero()
    {
        var window = Window(Side(100, 50, 100), Side(1000, 30, 100));

        Assert.Equal(0.7, HealthScore.Of(window, 200)!.Value, 9);
    }

    [Theory]
    [InlineData(40, 1.0)]
    [InlineData(48, 1.0)] // r = 1.2
    [InlineData(84, 0.5)] // r = 2.1, halfway from 1.2 to 3
    [InlineData(120, 0.0)] // r = 3
    [InlineData(127, 0.0)]
    public void Of_LatencyP95Ratio_CostsNothingUpTo1Point2AndEverythingFrom3(long candidateMicroseconds, double score)
    {
        var window = Window(Side(1000, 0, 40), Side(1000, 0, candidateMicroseconds));

        Assert.Equal(score, HealthScore.Of(window, 200)!.Value, 9);
    }

    [Fact]
    public void Of_LegacyP95Zero_LeavesLatencyOut()
    {
        var window = Window(Side(1000, 0, 0), Side(1000, 0, 120));

        Assert.Equal(1.0, HealthScore.Of(window, 200));
    }

    [Theory]
    [InlineData(1000, 0, 1.0)]
    [InlineData(1000, 10, 0.9)]
    [InlineData(1000, 150, 0.0)]
    public void Of_Divergence_CostsATenthPerPoint(long compared, long divergent, double score)
    {
        var window = Window(None, None, compared, divergent);

        Assert.Equal(score, HealthScore.Of(window, 200)!.Value, 9);
    }

    [Fact]
    public void Of_SeveralFactors_Multiply()
    {
        // errors 0.8 (3% against 1%), latency 0.5 (p95 84 µs against 40 µs), divergence 0.9 (1%).
        var window = Window(Side(1000, 10, 40), Side(1000, 30, 84), compared: 1000, divergent: 10);

        Assert.Equal(0.36, HealthScore.Of(window, 200)!.Value, 9);
    }

    [Fact]
    public void Of_SomeFactorsShortOfData_CountsOnlyThoseWithEnough()
    {
        // The candidate's 100 requests are too few for errors and latency; 1000 compared pairs suffice.
        var window = Window(Side(1000, 0, 40), Side(100, 100, 127), compared: 1000, divergent: 20);

        Assert.Equal(0.8, HealthScore.Of(window, 200)!.Value, 9);
        Assert.Equal(0.0, HealthScore.Of(window, 100)!.Value, 9);
    }

    [Fact]
    public void Of_NotEnoughDataForAnyFactor_GivesNoScore()
    {
        Assert.Null(HealthScore.Of(Window(None, None), 0));
        Assert.Null(HealthScore.Of(Window(Side(1000, 0, 40), Side(199, 0, 40), compared: 199), 200));
        Assert.Equal(1.0, HealthScore.Of(Window(Side(1000, 0, 40), Side(200, 0, 40), compared: 199), 200));
    }
}
