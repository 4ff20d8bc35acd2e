namespace Cutover.Kernel.Metrics;

/// <summary>
/// One side over a window: the figures gates and triggers are written in. Rates and latencies
/// are null when the side served nothing, so a condition on them is inconclusive rather than
/// passing on an empty side.
/// </summary>
/// <param name="Requests">Requests that finished in the window.</param>
/// <param name="Errors">Of those, the errors.</param>
/// <param name="Latency">Their latencies, for quantiles and rank tests.</param>
public sealed record SideSummary(long Requests, long Errors, HistogramSnapshot Latency)
{
    /// <summary>Errors per request; null without requests.</summary>
    public double? ErrorRate => Requests == 0 ? null : (double)Errors / Requests;

    /// <summary>Summarises buckets of one side.</summary>
    public static SideSummary Of(IEnumerable<SideBucket> buckets)
    {
        var merged = SideBucket.Merge(buckets);
        return new SideSummary(merged.Requests, merged.Errors, merged.Latency);
    }

    /// <summary>The latency at a quantile (0..1), in milliseconds; null without requests.</summary>
    public double? LatencyMs(double quantile) => Latency.Quantile(quantile) / 1000.0;

    /// <summary>The largest latency, in milliseconds; null without requests.</summary>
    public double? MaxLatencyMs => Latency.Max / 1000.0;
}
