using Cutover.Kernel.Metrics;

namespace Cutover.Server.Admin;

/// <summary>
/// Both sides of a migration over a window, as <c>GET /api/migrations/{name}/metrics</c> shows
/// them: the figures a plan's gates and triggers are written in, and the 10-second buckets
/// behind them for a graph. Latencies are in milliseconds; rates and latencies are null for a
/// side that served nothing in the window. The figures add up every replica sharing the store:
/// <see cref="Replicas"/> says how many counted traffic in the window.
/// </summary>
public sealed record MetricsView(
    string Name,
    string Window,
    int Replicas,
    DateTimeOffset From,
    DateTimeOffset To,
    SideMetricsView Legacy,
    SideMetricsView Candidate,
    ShadowWindowView Shadow,
    IReadOnlyList<BucketView> Buckets)
{
    internal static MetricsView Of(string name, string window, IReadOnlyCollection<MetricsBucket> buckets, int replicas, DateTimeOffset from, DateTimeOffset now)
    {
        var summary = MetricsWindow.Of(buckets, from, now);
        return new MetricsView(
            name,
            window,
            replicas,
            summary.From,
            summary.To,
            SideMetricsView.From(summary.Legacy),
            SideMetricsView.From(summary.Candidate) with { Rescued = summary.Rescued },
            new ShadowWindowView(summary.Compared, summary.Divergent, summary.DivergenceRate),
            [.. buckets.Select(BucketView.From)]);
    }
}

/// <summary>One side over the window.</summary>
public sealed record SideMetricsView(long Requests, long Errors, double? ErrorRate, LatencyView LatencyMs)
{
    /// <summary>For the candidate, how many of its errors legacy answered instead (<c>failover</c>); null for legacy.</summary>
    public long? Rescued { get; init; }

    internal static SideMetricsView From(SideSummary side) => new(side.Requests, side.Errors, side.ErrorRate, new LatencyView(
        side.LatencyMs(0.5), side.LatencyMs(0.9), side.LatencyMs(0.95), side.LatencyMs(0.99), side.MaxLatencyMs));
}

/// <summary>Latency quantiles in milliseconds, each within 1% of the exact value.</summary>
public sealed record LatencyView(double? P50, double? P90, double? P95, double? P99, double? Max);

/// <summary>Shadow pairs compared in the window, and the share that differed.</summary>
public sealed record ShadowWindowView(long Compared, long Divergent, double? DivergenceRate);

/// <summary>One 10-second bucket; the last one of a window may be the live part of the bucket in progress.</summary>
public sealed record BucketView(DateTimeOffset Start, BucketSideView Legacy, BucketSideView Candidate, long Compared, long Divergent)
{
    internal static BucketView From(MetricsBucket bucket) =>
        new(bucket.Start, BucketSideView.From(bucket.Legacy), BucketSideView.From(bucket.Candidate) with { Rescued = bucket.Rescued }, bucket.Compared, bucket.Divergent);
}

/// <summary>One side in one bucket.</summary>
public sealed record BucketSideView(long Requests, long Errors, double? P99Ms)
{
    /// <summary>For the candidate, how many of its errors in the bucket legacy answered instead; null for legacy.</summary>
    public long? Rescued { get; init; }

    /// <summary>The median latency in the bucket, in milliseconds, for a graph of p50 beside p99; null when the side served nothing in it.</summary>
    public double? P50Ms { get; init; }

    internal static BucketSideView From(SideBucket side) => new(side.Requests, side.Errors, side.Latency.Quantile(0.99) / 1000.0) { P50Ms = side.Latency.Quantile(0.5) / 1000.0 };
}
