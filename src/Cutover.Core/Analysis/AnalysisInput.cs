using Cutover.Kernel.Metrics;

namespace Cutover.Core.Analysis;

/// <summary>
/// A window of metrics and the sample size below which nothing in it is judged: what every
/// condition of one check reads. The rank test and the health score are computed once, on first
/// use, and shared, so a plan with many conditions on latency pays for one test.
/// </summary>
public sealed class AnalysisInput
{
    private readonly Lazy<MannWhitneyResult?> _latency;
    private readonly Lazy<double?> _healthScore;

    /// <summary>Wraps a window; <paramref name="minSamples"/> is the requests (or compared pairs) a figure needs to count.</summary>
    public AnalysisInput(MetricsWindow window, int minSamples)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfNegative(minSamples);
        Window = window;
        MinSamples = minSamples;
        _latency = new(() => MannWhitneyU.Compare(window.Candidate.Latency.Values(), window.Legacy.Latency.Values()));
        _healthScore = new(() => Analysis.HealthScore.Of(window, minSamples));
    }

    /// <summary>The window judged.</summary>
    public MetricsWindow Window { get; }

    /// <summary>
    /// Requests a side must have served (or shadow pairs compared) before a rate, latency or test
    /// on it is judged; below it a condition is inconclusive.
    /// </summary>
    public int MinSamples { get; }

    /// <summary>
    /// Candidate latencies tested against legacy ones (slot values in microseconds; the test only
    /// uses their order). Null when a side has no latencies; computed regardless of
    /// <see cref="MinSamples"/>, which the latency metrics check themselves.
    /// </summary>
    public MannWhitneyResult? Latency => _latency.Value;

    /// <summary>The window's <see cref="Analysis.HealthScore"/>; null when no part of it has enough data.</summary>
    public double? HealthScore => _healthScore.Value;

    /// <summary>What the plan's backfill job says now; null when the plan has not reached a backfill step (then no condition on it is judged).</summary>
    public BackfillFacts? Backfill { get; init; }
}
