using System.Globalization;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Analysis;

/// <summary>
/// A figure a condition may name, with the range it can take (what makes a condition impossible)
/// and how it is read from a window, refusing to give a value on too few samples.
/// </summary>
internal sealed class ConditionMetric
{
    private readonly Func<AnalysisInput, MetricReading> _read;

    private ConditionMetric(string name, double? upperBound, Func<AnalysisInput, MetricReading> read)
    {
        Name = name;
        UpperBound = upperBound;
        _read = read;
    }

    /// <summary>Every metric, candidate side first, in the order error messages list them.</summary>
    public static IReadOnlyList<ConditionMetric> All { get; } =
    [
        .. SideMetrics("candidate", w => w.Candidate),
        .. SideMetrics("legacy", w => w.Legacy),
        new("divergenceRate", 1, ReadDivergenceRate),
        new("healthScore", 1, ReadHealthScore),
        new("latency.pValue", 1, input => ReadLatencyTest(input, r => r.PValueCandidateSlower)),
        new("latency.slowerProbability", 1, input => ReadLatencyTest(input, r => r.ProbabilityCandidateSlower)),
        new(BackfillFacts.MetricPrefix + "lagSeconds", null, input => input.Backfill is { } job
            ? MetricReading.Of(job.LagSeconds, $"job {job.Job}: {job.Unknown}")
            : MetricReading.None("no backfill step reached yet")),
        new(BackfillFacts.MetricPrefix + "verified", 1, input => input.Backfill is { } job
            ? MetricReading.Known(job.Verified ? 1 : 0)
            : MetricReading.None("no backfill step reached yet")),
    ];


    /// <summary>The name conditions use; case-sensitive.</summary>
    public string Name { get; }

    /// <summary>The largest value it can take; null when unbounded. None is ever negative.</summary>
    public double? UpperBound { get; }

    /// <summary>The range in words, for impossibility messages.</summary>
    public string RangeText => UpperBound is { } upper
        ? $"{Name} lies between 0 and {upper.ToString(CultureInfo.InvariantCulture)}"
        : $"{Name} is never negative";

    /// <summary>
    /// The smallest and largest values of the metric times <paramref name="factor"/>: the ends of
    /// [0, upper] times the factor, which a negative factor swaps; infinite for an unbounded metric.
    /// </summary>
    public (double Low, double High) RangeTimes(double factor)
    {
        // A zero factor pins the product at 0; 0 × ∞ would be NaN.
        var end = factor == 0 ? 0 : factor * (UpperBound ?? double.PositiveInfinity);
        return (Math.Min(0, end), Math.Max(0, end));
    }

    /// <summary>The metric named exactly <paramref name="name"/>; null for anything else.</summary>
    public static ConditionMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>The metric's value in the input's window, or why there is none worth judging on.</summary>
    public MetricReading Read(AnalysisInput input) => _read(input);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static IEnumerable<ConditionMetric> SideMetrics(string side, Func<MetricsWindow, SideSummary> of)
    {
        // Counts are facts however few they are; everything derived from them needs enough of them.
        yield return new($"{side}.errorRate", 1, input => ReadSide(input, side, of, s => s.ErrorRate));
        yield return new($"{side}.requests", null, input => MetricReading.Known(of(input.Window).Requests));
        yield return new($"{side}.errors", null, input => MetricReading.Known(of(input.Window).Errors));
        foreach (var (suffix, quantile) in new[] { ("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99) })
        {
            yield return new($"{side}.{suffix}", null, input => ReadSide(input, side, of, s => s.LatencyMs(quantile)));
        }

        yield return new($"{side}.max", null, input => ReadSide(input, side, of, s => s.MaxLatencyMs));
    }

    private static MetricReading ReadSide(AnalysisInput input, string side, Func<MetricsWindow, SideSummary> of, Func<SideSummary, double?> value)
    {
        // Past the sample check only latencies can be missing: they are counted apart from requests.
        var summary = of(input.Window);
        return TooFew(side, summary.Requests, input.MinSamples) is { } missing
            ? MetricReading.None(missing)
            : MetricReading.Of(value(summary), $"{side} has no latencies in the window");
    }

    private static MetricReading ReadDivergenceRate(AnalysisInput input)
    {
        const string nothing = "nothing was compared in the window";
        var compared = input.Window.Compared;
        if (compared == 0 || compared < input.MinSamples)
        {
            return MetricReading.None(compared == 0 ? nothing : $"{Pairs(compared)} compared in the window, fewer than minSamples {input.MinSamples}");
        }

        return MetricReading.Of(input.Window.DivergenceRate, nothing);
    }

    private static MetricReading ReadHealthScore(AnalysisInput input)
    {
        var window = input.Window;
        return MetricReading.Of(
            input.HealthScore,
            $"no part of healthScore has enough data: candidate served {Requests(window.Candidate.Requests)}, legacy served {Requests(window.Legacy.Requests)} "
            + $"and {Pairs(window.Compared)} compared, against minSamples {input.MinSamples}");
    }

    private static MetricReading ReadLatencyTest(AnalysisInput input, Func<MannWhitneyResult, double> value)
    {
        var missing = TooFew("candidate", input.Window.Candidate.Requests, input.MinSamples)
            ?? TooFew("legacy", input.Window.Legacy.Requests, input.MinSamples);
        if (missing is not null)
        {
            return MetricReading.None(missing);
        }

        return input.Latency is { } result
            ? MetricReading.Known(value(result))
            : MetricReading.None("a side has no latencies in the window to compare");
    }

    private static string? TooFew(string side, long requests, int minSamples) => requests switch
    {
        0 => $"{side} served no requests in the window",
        _ when requests < minSamples => $"{side} served {Requests(requests)} in the window, fewer than minSamples {minSamples}",
        _ => null,
    };

    private static string Requests(long count) => count == 1 ? "1 request" : $"{count} requests";

    private static string Pairs(long count) => count == 1 ? "1 shadow pair was" : $"{count} shadow pairs were";
}
