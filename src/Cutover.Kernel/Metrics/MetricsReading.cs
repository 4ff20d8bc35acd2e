namespace Cutover.Kernel.Metrics;

/// <summary>
/// Every count of one migration at one moment. Counts only grow, so the traffic between two
/// readings is their difference; a request recorded while a reading is taken simply lands in
/// the next difference.
/// </summary>
internal sealed class MetricsReading
{
    private MetricsReading(long legacyRequests, long legacyErrors, long[] legacyLatency, long candidateRequests, long candidateErrors, long[] candidateLatency, long compared, long divergent, long rescued)
    {
        LegacyRequests = legacyRequests;
        LegacyErrors = legacyErrors;
        LegacyLatency = legacyLatency;
        CandidateRequests = candidateRequests;
        CandidateErrors = candidateErrors;
        CandidateLatency = candidateLatency;
        Compared = compared;
        Divergent = divergent;
        Rescued = rescued;
    }

    public static MetricsReading Zero { get; } = new(0, 0, new long[LatencyHistogram.SlotCount], 0, 0, new long[LatencyHistogram.SlotCount], 0, 0, 0);

    private long LegacyRequests { get; }

    private long LegacyErrors { get; }

    private long[] LegacyLatency { get; }

    private long CandidateRequests { get; }

    private long CandidateErrors { get; }

    private long[] CandidateLatency { get; }

    private long Compared { get; }

    private long Divergent { get; }

    private long Rescued { get; }

    /// <summary>
    /// Reads the counters. Each side's requests are read first: a request is counted last when
    /// recorded, so every request read here has its error and latency in this reading too (a
    /// request recorded meanwhile may show its error a bucket before its count, never after).
    /// </summary>
    public static MetricsReading Take(MigrationCounters counters)
    {
        var legacyRequests = counters.Legacy.Requests;
        var candidateRequests = counters.Candidate.Requests;
        var divergent = counters.Shadow.Divergent;
        var compared = counters.Shadow.Equal + divergent;
        return new MetricsReading(
            legacyRequests, counters.Legacy.Errors, counters.Legacy.Latency.ReadCounts(),
            candidateRequests, counters.Candidate.Errors, counters.Candidate.Latency.ReadCounts(),
            compared, divergent, counters.Rescued);
    }

    /// <summary>The traffic since an earlier reading, as a bucket starting at <paramref name="start"/>.</summary>
    public MetricsBucket Since(MetricsReading earlier, DateTimeOffset start) => new(
        start,
        new SideBucket(LegacyRequests - earlier.LegacyRequests, LegacyErrors - earlier.LegacyErrors, HistogramSnapshot.Between(earlier.LegacyLatency, LegacyLatency)),
        new SideBucket(CandidateRequests - earlier.CandidateRequests, CandidateErrors - earlier.CandidateErrors, HistogramSnapshot.Between(earlier.CandidateLatency, CandidateLatency)),
        Compared - earlier.Compared,
        Divergent - earlier.Divergent,
        Rescued - earlier.Rescued);
}
