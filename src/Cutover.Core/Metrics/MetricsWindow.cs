namespace Cutover.Core.Metrics;

/// <summary>
/// Both sides of one migration over a window of time (the buckets that overlap it, from every
/// replica that reported): what the orchestrator judges and the metrics API shows.
/// </summary>
/// <param name="From">The start of the oldest bucket included.</param>
/// <param name="To">The end of the window.</param>
/// <param name="Legacy">The legacy side.</param>
/// <param name="Candidate">The candidate side.</param>
/// <param name="Compared">Shadow pairs compared.</param>
/// <param name="Divergent">Of those, the ones that differed.</param>
public sealed record MetricsWindow(DateTimeOffset From, DateTimeOffset To, SideSummary Legacy, SideSummary Candidate, long Compared, long Divergent)
{
    /// <summary>Divergent pairs per compared pair; null when nothing was compared.</summary>
    public double? DivergenceRate => Compared == 0 ? null : (double)Divergent / Compared;

    /// <summary>Summarises buckets (several replicas' buckets of one start included) ending at <paramref name="to"/>.</summary>
    public static MetricsWindow Of(IReadOnlyCollection<MetricsBucket> buckets, DateTimeOffset to) => new(
        buckets.Count == 0 ? to : buckets.Min(b => b.Start),
        to,
        SideSummary.Of(buckets.Select(b => b.Legacy)),
        SideSummary.Of(buckets.Select(b => b.Candidate)),
        buckets.Sum(b => b.Compared),
        buckets.Sum(b => b.Divergent));
}
