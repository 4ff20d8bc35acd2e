using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.Analysis;
using static Cutover.Core.Tests.Analysis.TestWindows;

namespace Cutover.Core.Tests.Analysis;

/// <summary>
/// Conditions judged on windows built from buckets. Latencies above 128 µs read back as their
/// histogram slot's middle: 48 000 µs as 47 999.5 (slot 47 872 + 256), 20 000 µs as 20 031.5
/// (slot 19 968 + 128); below 128 µs they read back exactly.
/// </summary>
public sealed class ConditionEvaluationTests
{
    [Fact]
    public void Evaluate_RateOverItsThreshold_IsMet()
    {
        var input = Input(Side(1000, 0, 20_000), Side(1000, 62, 20_000), minSamples: 200);

        var evaluation = Condition.Parse("candidate.errorRate > 0.05").Evaluate(input);

        Assert.Equal(new ConditionEvaluation("candidate.errorRate > 0.05", ConditionVerdict.Met, 0.062, 0.05, "candidate.errorRate 0.062 > 0.05"), evaluation);
    }

    [Fact]
    public void Evaluate_RateUnderItsThreshold_IsNotMet()
    {
        var input = Input(Side(1000, 0, 20_000), Side(1000, 4, 20_000), minSamples: 200);

        var evaluation = Condition.Parse("candidate.errorRate > 0.05 for 1m").Evaluate(input);

        Assert.Equal(new ConditionEvaluation("candidate.errorRate > 0.05 for 1m", ConditionVerdict.NotMet, 0.004, 0.05, "candidate.errorRate 0.004 is not > 0.05"), evaluation);
    }

    [Fact]
    public void Evaluate_Factor_AppliesToItsMetricAndShowsInTheDetail()
    {
        var input = Input(Side(1000, 0, 20_000), Side(1000, 0, 48_000), minSamples: 200);

        var evaluation = Condition.Parse("candidate.p99 > legacy.p99 * 2").Evaluate(input);

        Assert.Equal(ConditionVerdict.Met, evaluation.Verdict);
        Assert.Equal(47.9995, evaluation.Left!.Value, 9);
        Assert.Equal(40.063, evaluation.Right!.Value, 9);
        Assert.Equal("candidate.p99 48 > 2 * legacy.p99 (40.06)", evaluation.Detail);
    }

    [Fact]
    public void Evaluate_NumberOnTheLeft_IsComparedTheSameWay()
    {
        var input = Input(Side(1000, 0, 20_000), Side(1000, 0, 48_000), minSamples: 200);

        var evaluation = Condition.Parse("50 <= candidate.p95").Evaluate(input);

        Assert.Equal(ConditionVerdict.NotMet, evaluation.Verdict);
        Assert.Equal("50 is not <= candidate.p95 48", evaluation.Detail);
    }

    [Theory]
    [InlineData("candidate.p50 < 0.1", ConditionVerdict.NotMet)]
    [InlineData("candidate.p50 <= 0.1", ConditionVerdict.Met)]
    [InlineData("candidate.max > 0.1", ConditionVerdict.NotMet)]
    [InlineData("candidate.max >= 0.1", ConditionVerdict.Met)]
    [InlineData("legacy.p90 > 0.05", ConditionVerdict.NotMet)]
    [InlineData("legacy.p99 >= 0.05", ConditionVerdict.Met)]
    [InlineData("2 * legacy.p95 >= candidate.p95", ConditionVerdict.Met)]
    [InlineData("2 * legacy.p95 > candidate.p95", ConditionVerdict.NotMet)]
    public void Evaluate_Latencies_AreReadInMillisecondsAndTheOperatorsKeepTheirEdges(string text, ConditionVerdict verdict)
    {
        var input = Input(Side(300, 0, 50), Side(300, 0, 100), minSamples: 200);

        Assert.Equal(verdict, Condition.Parse(text).Evaluate(input).Verdict);
    }

    [Fact]
    public void Evaluate_Counts_AreJudgedHoweverFewThereAre()
    {
        var input = Input(Side(12, 3, 20_000), Side(12, 1, 20_000), minSamples: 200);

        Assert.Equal("candidate.requests 12 is not >= 1000", Condition.Parse("candidate.requests >= 1000").Evaluate(input).Detail);
        Assert.Equal(ConditionVerdict.Met, Condition.Parse("legacy.errors > 2").Evaluate(input).Verdict);
        Assert.Equal(ConditionVerdict.Met, Condition.Parse("legacy.requests >= 12").Evaluate(new AnalysisInput(Window(Side(12, 0, 5), None), 200)).Verdict);
    }

    [Fact]
    public void Evaluate_ThresholdOnAnEmptySide_IsInconclusiveNeverMet()
    {
        var input = Input(Side(1000, 0, 20_000), None, minSamples: 0);

        var evaluation = Condition.Parse("candidate.errorRate <= 0.01").Evaluate(input);

        Assert.Equal(new ConditionEvaluation("candidate.errorRate <= 0.01", ConditionVerdict.Inconclusive, null, 0.01, "inconclusive: candidate served no requests in the window"), evaluation);
    }

    [Fact]
    public void Evaluate_SideWithFewerRequestsThanMinSamples_IsInconclusiveEvenWhenItLooksFine()
    {
        var input = Input(Side(12, 0, 20_000), Side(1000, 0, 20_000), minSamples: 200);

        var evaluation = Condition.Parse("candidate.p99 <= 1.1 * legacy.p99").Evaluate(input);

        Assert.Equal(ConditionVerdict.Inconclusive, evaluation.Verdict);
        Assert.Equal(20.0315, evaluation.Left!.Value, 9);
        Assert.Null(evaluation.Right);
        Assert.Equal("inconclusive: legacy served 12 requests in the window, fewer than minSamples 200", evaluation.Detail);
    }

    [Fact]
    public void Evaluate_TwoSidesShortOfData_NamesBoth()
    {
        var input = Input(None, Side(1, 0, 20_000), minSamples: 200);

        var evaluation = Condition.Parse("candidate.p99 > 2 * legacy.p99").Evaluate(input);

        Assert.Equal("inconclusive: candidate served 1 request in the window, fewer than minSamples 200 and legacy served no requests in the window", evaluation.Detail);
        Assert.Equal((null, null), (evaluation.Left, evaluation.Right));
    }

    [Theory]
    [InlineData(0, 0, 0, ConditionVerdict.Inconclusive, "inconclusive: nothing was compared in the window")]
    [InlineData(50, 0, 200, ConditionVerdict.Inconclusive, "inconclusive: 50 shadow pairs were compared in the window, fewer than minSamples 200")]
    [InlineData(1, 0, 200, ConditionVerdict.Inconclusive, "inconclusive: 1 shadow pair was compared in the window, fewer than minSamples 200")]
    [InlineData(2000, 1, 200, ConditionVerdict.Met, "divergenceRate 0.0005 <= 0.001")]
    [InlineData(2000, 3, 200, ConditionVerdict.NotMet, "divergenceRate 0.0015 is not <= 0.001")]
    public void Evaluate_DivergenceRate_NeedsEnoughComparedPairs(long compared, long divergent, int minSamples, ConditionVerdict verdict, string detail)
    {
        var input = Input(Side(1000, 0, 100), Side(1000, 0, 100), minSamples, compared, divergent);

        var evaluation = Condition.Parse("divergenceRate <= 0.001").Evaluate(input);

        Assert.Equal((verdict, detail), (evaluation.Verdict, evaluation.Detail));
    }

    [Fact]
    public void Evaluate_ClearlySlowerCandidate_HasASmallPValue()
    {
        var random = new Random(5);
        var legacy = Side(0, Enumerable.Range(0, 1000).Select(_ => (long)random.Next(10_000, 30_000)).ToArray());
        var candidate = Side(0, Enumerable.Range(0, 1000).Select(_ => (long)(random.Next(10_000, 30_000) * 1.5)).ToArray());
        var input = new AnalysisInput(Window(legacy, candidate), 200);

        var pValue = Condition.Parse("latency.pValue < 0.01").Evaluate(input);
        var slower = Condition.Parse("latency.slowerProbability > 0.7").Evaluate(input);

        Assert.Equal(ConditionVerdict.Met, pValue.Verdict);
        Assert.True(pValue.Left < 1e-9, pValue.Detail);
        Assert.Equal(ConditionVerdict.Met, slower.Verdict);
        Assert.Equal(input.Latency!.ProbabilityCandidateSlower, slower.Left);
    }

    [Fact]
    public void Evaluate_CandidateAsFastAsLegacy_HasALargePValue()
    {
        var random = new Random(6);
        var latencies = Enumerable.Range(0, 1000).Select(_ => (long)random.Next(10_000, 30_000)).ToArray();
        var input = new AnalysisInput(Window(Side(0, latencies), Side(0, latencies)), 200);

        var evaluation = Condition.Parse("latency.pValue >= 0.05").Evaluate(input);

        Assert.Equal(ConditionVerdict.Met, evaluation.Verdict);
        Assert.InRange(evaluation.Left!.Value, 0.4, 0.6);
        Assert.Equal(ConditionVerdict.NotMet, Condition.Parse("latency.slowerProbability > 0.55").Evaluate(input).Verdict);
    }

    [Fact]
    public void Evaluate_LatencyTest_NeedsBothSides()
    {
        var input = Input(Side(150, 0, 100), Side(1000, 0, 200), minSamples: 200);

        var evaluation = Condition.Parse("latency.pValue >= 0.05").Evaluate(input);

        Assert.Equal("inconclusive: legacy served 150 requests in the window, fewer than minSamples 200", evaluation.Detail);
        Assert.NotNull(input.Latency);
    }

    [Fact]
    public void Latency_BothHistograms_IsTheRankTestComputedOnceFromThem()
    {
        var input = Input(Side(300, 0, 100), Side(300, 0, 200), minSamples: 200);

        Assert.Same(input.Latency, input.Latency);
        Assert.Equal((300, 300, 1.0), (input.Latency!.CandidateCount, input.Latency.LegacyCount, input.Latency.ProbabilityCandidateSlower));
    }

    [Fact]
    public void Evaluate_HealthScoreWithoutData_IsInconclusive()
    {
        var input = Input(Side(12, 0, 100), Side(10, 0, 100), minSamples: 200, compared: 3);

        var evaluation = Condition.Parse("healthScore < 0.8 for 3m").Evaluate(input);

        Assert.Equal(
            "inconclusive: no part of healthScore has enough data: candidate served 10 requests, legacy served 12 requests and 3 shadow pairs were compared, against minSamples 200",
            evaluation.Detail);
    }

    [Fact]
    public void Evaluate_HealthScore_IsJudgedLikeAnyMetric()
    {
        var input = Input(Side(1000, 10, 100), Side(1000, 40, 100), minSamples: 200);

        var evaluation = Condition.Parse("healthScore < 0.8 for 3m").Evaluate(input);

        Assert.Equal(ConditionVerdict.Met, evaluation.Verdict);
        Assert.Equal(0.7, evaluation.Left!.Value, 9);
        Assert.Equal("healthScore 0.7 < 0.8", evaluation.Detail);
    }

    [Fact]
    public void AnalysisInput_NegativeMinSamples_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnalysisInput(Window(None, None), -1));

    [Fact]
    public void Serialize_ConditionEvaluation_UsesWebDefaultsAndReadsBack()
    {
        var met = Condition.Parse("candidate.p99 > 2 * legacy.p99").Evaluate(Input(Side(1000, 0, 20_000), Side(1000, 0, 48_000), 200));
        var inconclusive = Condition.Parse("divergenceRate > 0.01 for 1m").Evaluate(Input(None, None, 200));
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var server = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

        var json = JsonSerializer.Serialize(inconclusive, server);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["condition", "verdict", "left", "right", "detail"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("divergenceRate > 0.01 for 1m", root.GetProperty("condition").GetString());
        Assert.Equal("inconclusive", root.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("left").ValueKind);
        Assert.Equal(0.01, root.GetProperty("right").GetDouble());
        Assert.Equal(inconclusive, JsonSerializer.Deserialize<ConditionEvaluation>(json, server));
        Assert.Equal(met, JsonSerializer.Deserialize<ConditionEvaluation>(JsonSerializer.Serialize(met, web), web));
    }
}
