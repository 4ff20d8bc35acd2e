using Cutover.Core.Analysis;
using Cutover.Core.Values;
using FsCheck;
using FsCheck.Fluent;

namespace Cutover.Core.Tests.Analysis;

public sealed class ConditionTests
{
    private const string AllMetrics = "candidate.errorRate, candidate.requests, candidate.errors, candidate.p50, candidate.p90, candidate.p95, candidate.p99, candidate.max, "
        + "legacy.errorRate, legacy.requests, legacy.errors, legacy.p50, legacy.p90, legacy.p95, legacy.p99, legacy.max, "
        + "divergenceRate, healthScore, latency.pValue, latency.slowerProbability, backfill.lagSeconds, backfill.verified";

    [Theory]
    [InlineData("candidate.errorRate <= 0.01", "candidate.errorRate <= 0.01", 0)]
    [InlineData("candidate.p99 <= 1.1 * legacy.p99", "candidate.p99 <= 1.1 * legacy.p99", 0)]
    [InlineData("candidate.p99<=1.1*legacy.p99", "candidate.p99 <= 1.1 * legacy.p99", 0)]
    [InlineData("candidate.p99 <= legacy.p99 * 1.1", "candidate.p99 <= 1.1 * legacy.p99", 0)]
    [InlineData("2 * candidate.p50 > legacy.p50", "2 * candidate.p50 > legacy.p50", 0)]
    [InlineData("0.01 >= candidate.errorRate", "0.01 >= candidate.errorRate", 0)]
    [InlineData("divergenceRate <= 0.001", "divergenceRate <= 0.001", 0)]
    [InlineData("candidate.errorRate > 0.05 for 1m", "candidate.errorRate > 0.05 for 1m", 60)]
    [InlineData("  candidate.p99   >\t2 *legacy.p99  for   5m ", "candidate.p99 > 2 * legacy.p99 for 5m", 300)]
    [InlineData("healthScore < 0.8 for 3m", "healthScore < 0.8 for 3m", 180)]
    [InlineData("divergenceRate > 0.01 for 1h30m", "divergenceRate > 0.01 for 1h30m", 5400)]
    [InlineData("candidate.max > 500 for 500ms", "candidate.max > 500 for 500ms", 0.5)]
    [InlineData("latency.pValue >= 0.05", "latency.pValue >= 0.05", 0)]
    [InlineData("latency.slowerProbability<0.6", "latency.slowerProbability < 0.6", 0)]
    [InlineData("candidate.requests >= 1000", "candidate.requests >= 1000", 0)]
    [InlineData("legacy.p95>-1", "legacy.p95 > -1", 0)]
    public void TryParse_EveryForm_ParsesToItsNormalizedText(string text, string normalized, double forSeconds)
    {
        Assert.True(Condition.TryParse(text, out var condition, out var error), error);

        Assert.Equal(normalized, condition.Text);
        Assert.Equal(normalized, condition.ToString());
        Assert.Equal(TimeSpan.FromSeconds(forSeconds), condition.For);
    }

    [Fact]
    public void MetricNames_InOrder_AreExactlyTheseNames()
    {
        Assert.Equal(AllMetrics, string.Join(", ", Condition.MetricNames));
    }

    [Fact]
    public void Parse_EveryMetric_ParsesOnEitherSideAndWithAFactor()
    {
        foreach (var name in Condition.MetricNames)
        {
            Assert.Equal([name], Condition.Parse($"{name} >= 0").Metrics);
            Assert.Equal([name], Condition.Parse($"0.5 < {name}").Metrics);
            Assert.Equal([name], Condition.Parse($"{name} * 3 > 1").Metrics);
        }
    }

    [Theory]
    [InlineData("candidate.p99 <= 1.1 * legacy.p99", new[] { "candidate.p99", "legacy.p99" })]
    [InlineData("2 * legacy.errorRate > candidate.errorRate", new[] { "legacy.errorRate", "candidate.errorRate" })]
    [InlineData("candidate.p99 < 0.5 * candidate.p99", new[] { "candidate.p99" })]
    [InlineData("0.2 > healthScore for 1m", new[] { "healthScore" })]
    public void Metrics_ParsedCondition_AreTheOnesNamedEachOnceInOrder(string text, string[] metrics) =>
        Assert.Equal(metrics, Condition.Parse(text).Metrics);

    [Theory]
    [InlineData(null, "the condition is empty")]
    [InlineData("", "the condition is empty")]
    [InlineData("  \t ", "the condition is empty")]
    [InlineData("candidate.p98 < 100", "unknown metric 'candidate.p98'; use one of: " + AllMetrics)]
    [InlineData("errorRate < 0.01", "unknown metric 'errorRate'; use one of: " + AllMetrics)]
    [InlineData("candidate.p99 < 2 * legacy.p98", "unknown metric 'legacy.p98'; use one of: " + AllMetrics)]
    [InlineData("candidate.ErrorRate < 0.01", "unknown metric 'candidate.ErrorRate'; metric names are case-sensitive: use 'candidate.errorRate'")]
    [InlineData("candidate.errorRate", "expected one of <, <=, >, >= after 'candidate.errorRate'")]
    [InlineData("candidate.errorRate 0.01", "expected one of <, <=, >, >= after 'candidate.errorRate', found '0.01'")]
    [InlineData("candidate.errorRate == 0.01", "expected one of <, <=, >, >= after 'candidate.errorRate', found '=='")]
    [InlineData("candidate.errorRate=0.01", "expected one of <, <=, >, >= after 'candidate.errorRate', found '='")]
    [InlineData("legacy.p99 * 2 != candidate.p99", "expected one of <, <=, >, >= after '2 * legacy.p99', found '!='")]
    [InlineData("candidate.errorRate <", "expected a metric or a number after '<'")]
    [InlineData("<= 0.01", "expected a metric or a number at the start, found '<='")]
    [InlineData("candidate.errorRate > 0.05 for 5x", "'5x' after 'for' is not a duration; use " + Duration.AllowedForms)]
    [InlineData("candidate.errorRate > 0.05 for 5", "'5' after 'for' is not a duration; use " + Duration.AllowedForms)]
    [InlineData("candidate.errorRate > 0.05 for", "'for' must be followed by a duration; use " + Duration.AllowedForms)]
    [InlineData("0.1 < 0.2", "compares two numbers; at least one side must be a metric")]
    [InlineData("2 < 0.5 * 4", "expected a metric after '0.5 *', found '4'")]
    [InlineData("candidate.errorRate > 0.05 foo", "unexpected 'foo' after the condition; only 'for' and a duration may follow it")]
    [InlineData("candidate.p50 < candidate.p90 < candidate.p99", "unexpected '<' after the condition; only 'for' and a duration may follow it")]
    [InlineData("candidate.errorRate > 0.05 for 1m foo", "unexpected 'foo' after the condition; nothing may follow the duration")]
    [InlineData("candidate.p99 * legacy.p99 > 1", "expected a number after 'candidate.p99 *', found 'legacy.p99'; a metric can only be multiplied by a number")]
    [InlineData("candidate.p99 * > 1", "expected a number after 'candidate.p99 *', found '>'")]
    [InlineData("candidate.p99 > 2 *", "expected a metric after '2 *'")]
    [InlineData("candidate.p99 < 1e3", "'1e3' is not a number; write numbers as plain decimals such as 0.01, 2 or 1.1")]
    [InlineData("candidate.errorRate < 0,01", "'0,01' is not a number; write numbers as plain decimals such as 0.01, 2 or 1.1")]
    [InlineData("candidate.errorRate < .5", "'.5' is not a number; write numbers as plain decimals such as 0.01, 2 or 1.1")]
    [InlineData("candidate.requests < 1234567890123456", "'1234567890123456' is too large; no metric comes near a number with more than 15 digits before the point")]
    public void TryParse_BadCondition_NamesTheProblemWithItsFix(string? text, string expected)
    {
        Assert.False(Condition.TryParse(text, out var condition, out var error));

        Assert.Null(condition);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_BadCondition_ThrowsNamingTheTextAndTheProblem()
    {
        var exception = Assert.Throws<FormatException>(() => Condition.Parse("healthScore ~ 1"));

        Assert.Equal("'healthScore ~ 1' is not a condition: expected one of <, <=, >, >= after 'healthScore', found '~'", exception.Message);
    }

    [Theory]
    [InlineData("candidate.errorRate <= -0.1", "'candidate.errorRate <= -0.1' can never be met: candidate.errorRate lies between 0 and 1")]
    [InlineData("healthScore > 1 for 3m", "'healthScore > 1' can never be met: healthScore lies between 0 and 1")]
    [InlineData("1.5 <= latency.pValue", "'1.5 <= latency.pValue' can never be met: latency.pValue lies between 0 and 1")]
    [InlineData("0.5 < 0.1 * latency.slowerProbability", "'0.5 < 0.1 * latency.slowerProbability' can never be met: latency.slowerProbability lies between 0 and 1")]
    [InlineData("candidate.p99 < 0", "'candidate.p99 < 0' can never be met: candidate.p99 is never negative")]
    [InlineData("legacy.requests < 0", "'legacy.requests < 0' can never be met: legacy.requests is never negative")]
    [InlineData("-1 * candidate.max > 0", "'-1 * candidate.max > 0' can never be met: candidate.max is never negative")]
    [InlineData("candidate.p99 < 0.5 * candidate.p99", "'candidate.p99 < 0.5 * candidate.p99' can never be met: candidate.p99 is never negative")]
    [InlineData("candidate.p99 > candidate.p99 * 2", "'candidate.p99 > 2 * candidate.p99' can never be met: candidate.p99 is never negative")]
    [InlineData("healthScore > healthScore", "'healthScore > healthScore' can never be met: healthScore lies between 0 and 1")]
    [InlineData("candidate.errorRate < -1 * legacy.errorRate", "'candidate.errorRate < -1 * legacy.errorRate' can never be met: candidate.errorRate lies between 0 and 1 and legacy.errorRate lies between 0 and 1")]
    public void Parse_ConditionOutsideTheMetricsRanges_IsImpossibleSayingWhy(string text, string impossibility) =>
        Assert.Equal(impossibility, Condition.Parse(text).Impossibility);

    [Theory]
    [InlineData("candidate.errorRate <= 0")]
    [InlineData("candidate.errorRate >= 1")]
    [InlineData("healthScore >= 1")]
    [InlineData("healthScore < 0.8 for 3m")]
    [InlineData("latency.pValue <= 0")]
    [InlineData("candidate.requests >= 1000000")]
    [InlineData("candidate.p99 > 999999999999999")]
    [InlineData("candidate.p99 <= 0.5 * candidate.p99")]
    [InlineData("candidate.p99 > 0.5 * candidate.p99")]
    [InlineData("candidate.p99 < 2 * candidate.p99")]
    [InlineData("healthScore >= healthScore")]
    [InlineData("candidate.p99 > 2 * legacy.p99")]
    [InlineData("-1 * candidate.p99 < 0")]
    [InlineData("candidate.errorRate <= -1 * legacy.errorRate")]
    [InlineData("0.5 <= 0.5 * latency.slowerProbability")]
    [InlineData("0 * healthScore >= 0")]
    public void Parse_ConditionSomeValuesMeet_IsPossible(string text) => Assert.Null(Condition.Parse(text).Impossibility);

    [Fact]
    public void Parse_TextOfAParsedCondition_ParsesBackToItself()
    {
        var number = Gen.Choose(-2000, 200_000).Select(i => (i / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var metric = Gen.Elements<string>(Condition.MetricNames);
        var space = Gen.Elements("", " ", "  ", "\t");
        var scaled = Gen.OneOf(
            metric,
            number.Zip(metric).Zip(space).Select(t => $"{t.Item1.Item1}{t.Item2}*{t.Item2}{t.Item1.Item2}"),
            metric.Zip(number).Zip(space).Select(t => $"{t.Item1.Item1}{t.Item2}*{t.Item2}{t.Item1.Item2}"));
        var duration = Gen.Elements("", " for 30s", " for 5m", " for 1h30m", "\tfor  500ms ");
        var conditions = scaled.Zip(Gen.OneOf(scaled, number))
            .Zip(Gen.Elements("<", "<=", ">", ">="))
            .Zip(Gen.Elements(true, false))
            .Zip(space)
            .Zip(duration)
            .Select(t =>
            {
                var (((((metricSide, other), comparison), swap), gap), forPart) = t;
                var (left, right) = swap ? (other, metricSide) : (metricSide, other);
                return $"{gap}{left}{gap}{comparison}{gap}{right}{forPart}";
            });

        Prop.ForAll(conditions.ToArbitrary(), text =>
        {
            var condition = Condition.Parse(text);
            var again = Condition.Parse(condition.Text);
            return again.Text == condition.Text && again.For == condition.For && again.Metrics.SequenceEqual(condition.Metrics)
                && again.Impossibility == condition.Impossibility && !condition.Text.Contains("  ", StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
    }
}
