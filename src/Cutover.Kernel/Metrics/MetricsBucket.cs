namespace Cutover.Kernel.Metrics;

/// <summary>
/// One migration's traffic during one 10-second bucket, or the live part of the bucket in
/// progress. Buckets start at whole multiples of <see cref="MetricsHistory.BucketLength"/> since
/// the Unix epoch, so the buckets of several replicas line up and add up.
/// </summary>
/// <param name="Start">When the bucket starts.</param>
/// <param name="Legacy">The legacy side.</param>
/// <param name="Candidate">The candidate side.</param>
/// <param name="Compared">Shadow pairs compared.</param>
/// <param name="Divergent">Of those, the ones that differed.</param>
/// <param name="Rescued">The candidate's failures answered by legacy instead (the migration's <c>failover</c>); counted in the candidate's errors too.</param>
public sealed record MetricsBucket(DateTimeOffset Start, SideBucket Legacy, SideBucket Candidate, long Compared, long Divergent, long Rescued)
{
    /// <summary>The side's part.</summary>
    public SideBucket Of(Routing.Side side) => side == Routing.Side.Candidate ? Candidate : Legacy;

    /// <summary>Whether anything at all was counted.</summary>
    public bool IsEmpty => Legacy.IsEmpty && Candidate.IsEmpty && Compared == 0 && Divergent == 0 && Rescued == 0;

    /// <summary>Buckets with the same start (several replicas, or a bucket rolled twice) as one.</summary>
    public static MetricsBucket Merge(DateTimeOffset start, IReadOnlyCollection<MetricsBucket> buckets) => new(
        start,
        SideBucket.Merge(buckets.Select(b => b.Legacy)),
        SideBucket.Merge(buckets.Select(b => b.Candidate)),
        buckets.Sum(b => b.Compared),
        buckets.Sum(b => b.Divergent),
        buckets.Sum(b => b.Rescued));
}
