using Cutover.Core.Analysis;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Tests.Analysis;

/// <summary>
/// Checked against known values: SciPy's documented example (mannwhitneyu, method="asymptotic":
/// U = 17, p = 0.11134688653314041) and, for ties, an independent brute-force computation
/// (every pair compared, ranks averaged by hand, Python's math.erfc).
/// </summary>
public sealed class MannWhitneyUTests
{
    [Fact]
    public void Compare_ScipysDocumentedExample_MatchesItsValues()
    {
        var result = MannWhitneyU.Compare(Counted(19, 22, 16, 29, 24), Counted(20, 11, 17, 12))!;

        Assert.Equal(17, result.U);
        Assert.Equal(0.11134688653314041, result.PValue, 1e-6);
        Assert.Equal(0.05567344326657024, result.PValueCandidateSlower, 1e-6);
        Assert.Equal(0.85, result.ProbabilityCandidateSlower, 9);
        Assert.Equal(1.7146428199482247, result.Z, 9);
        Assert.Equal((5, 4), (result.CandidateCount, result.LegacyCount));
    }

    [Fact]
    public void Compare_Ties_AreRankedByTheirAverageAndCorrectTheVariance()
    {
        var result = MannWhitneyU.Compare(Counted(1, 2, 2, 3, 3, 3, 5, 8), Counted(2, 3, 4, 4, 4, 6))!;

        Assert.Equal(16.5, result.U);
        Assert.Equal(-0.9879856075068767, result.Z, 9);
        Assert.Equal(0.35646603779530395, result.PValue, 1e-6);
        Assert.Equal(0.8540245021926968, result.PValueCandidateSlower, 1e-6);
    }

    [Fact]
    public void Compare_CountedValuesWithManyTies_MatchThePairwiseComputation()
    {
        var candidate = new (double, long)[] { (200, 44), (210, 39), (220, 60), (230, 47), (250, 61), (400, 49) };
        var legacy = new (double, long)[] { (200, 57), (205, 47), (210, 39), (220, 51), (230, 56) };

        var result = MannWhitneyU.Compare(candidate, legacy)!;

        Assert.Equal(54114.5, result.U);
        Assert.Equal(9.074215920988921, result.Z, 9);
        Assert.Equal(1.1478634174718853e-19, result.PValue, 1.1478634174718853e-19 * 1e-5);
        Assert.Equal(0.7215266666666666, result.ProbabilityCandidateSlower, 9);
    }

    [Fact]
    public void Compare_SameLatenciesOnBothSides_TellNothing()
    {
        var latencies = HistogramSnapshot.Of(Enumerable.Range(0, 2000).Select(i => (long)(300 + (i * 7 % 900))));

        var result = MannWhitneyU.Compare(latencies.Values(), latencies.Values())!;

        Assert.Equal(0.5, result.ProbabilityCandidateSlower, 9);
        Assert.Equal(0, result.Z, 9);
        Assert.True(result.PValue > 0.99);
    }

    [Fact]
    public void Compare_CandidateATenthSlower_IsFoundFromHistograms()
    {
        var random = new Random(11);
        var legacy = HistogramSnapshot.Of(Enumerable.Range(0, 5000).Select(_ => (long)random.Next(1_000, 3_000)));
        var candidate = HistogramSnapshot.Of(Enumerable.Range(0, 5000).Select(_ => (long)(random.Next(1_000, 3_000) * 1.1)));

        var result = MannWhitneyU.Compare(candidate.Values(), legacy.Values())!;

        Assert.True(result.PValueCandidateSlower < 1e-6, $"p = {result.PValueCandidateSlower}");
        Assert.InRange(result.ProbabilityCandidateSlower, 0.55, 0.75);
    }

    [Fact]
    public void Compare_EveryValueEqual_GivesNoDifference()
    {
        var result = MannWhitneyU.Compare([(250, 10)], [(250, 30)])!;

        Assert.Equal((0.0, 1.0, 0.5), (result.Z, result.PValue, result.ProbabilityCandidateSlower));
    }

    [Fact]
    public void Compare_EmptySide_GivesNoJudgement()
    {
        Assert.Null(MannWhitneyU.Compare([], [(250, 30)]));
        Assert.Null(MannWhitneyU.Compare([(250, 30)], HistogramSnapshot.Empty.Values()));
    }

    private static IEnumerable<(double Value, long Count)> Counted(params double[] values) =>
        values.GroupBy(v => v).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count()));
}
