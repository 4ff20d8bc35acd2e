namespace Cutover.Kernel.Metrics;

/// <summary>
/// Both sides of one migration over a window of time (the buckets that overlap it, from every
/// replica that reported): what the orchestrator judges and the metrics API shows.
/// </summary>
/// <param name="From">Where the traffic judged starts: the start of the oldest bucket included, or the start asked for when no bucket is.</param>
/// <param name="To">The end of the window.</param>
/// <param name="Legacy">The legacy side.</param>
/// <param name="Candidate">The candidate side.</param>
/// <param name="Compared">Shadow pairs compared.</param>
/// <param name="Divergent">Of those, the ones that differed.</param>
/// <param name="Rescued">The candidate's failures answered by legacy instead; counted in the candidate's errors too.</param>
public sealed record MetricsWindow(DateTimeOffset From, DateTimeOffset To, SideSummary Legacy, SideSummary Candidate, long Compared, long Divergent, long Rescued)
{
    /// <summary>Divergent pairs per compared pair; null when nothing was compared.</summary>
    public double? DivergenceRate => Compared == 0 ? null : (double)Divergent / Compared;

    /// <summary>
    /// Summarises buckets (several replicas' buckets of one start included) asked for from
    /// <paramref name="from"/> to <paramref name="to"/>; a bucket that began before
    /// <paramref name="from"/> moves the start back to its own, so the window states the traffic it holds.
    /// </summary>
    public static MetricsWindow Of(IReadOnlyCollection<MetricsBucket> buckets, DateTimeOffset from, DateTimeOffset to) => new(
        buckets.Count == 0 || buckets.Min(b => b.Start) >= from ? from : buckets.Min(b => b.Start),
        to,
        SideSummary.Of(buckets.Select(b => b.Legacy)),
        SideSummary.Of(buckets.Select(b => b.Candidate)),
        buckets.Sum(b => b.Compared),
        buckets.Sum(b => b.Divergent),
        buckets.Sum(b => b.Rescued));
}
