namespace Cutover.Kernel.Metrics;

/// <summary>What one side did during one stretch of time: requests, errors and their latencies.</summary>
/// <param name="Requests">Requests that finished.</param>
/// <param name="Errors">Of those, the ones that counted as errors.</param>
/// <param name="Latency">Their latencies.</param>
public sealed record SideBucket(long Requests, long Errors, HistogramSnapshot Latency)
{
    /// <summary>Nothing happened.</summary>
    public static SideBucket Empty { get; } = new(0, 0, HistogramSnapshot.Empty);

    /// <summary>Whether nothing at all was counted (a request's error or latency can land a bucket before its count).</summary>
    public bool IsEmpty => Requests == 0 && Errors == 0 && Latency.Count == 0;

    /// <summary>Several stretches together.</summary>
    public static SideBucket Merge(IEnumerable<SideBucket> buckets)
    {
        var list = buckets as IReadOnlyCollection<SideBucket> ?? [.. buckets];
        return list.Count switch
        {
            0 => Empty,
            1 => list.First(),
            _ => new SideBucket(list.Sum(b => b.Requests), list.Sum(b => b.Errors), HistogramSnapshot.Merge(list.Select(b => b.Latency))),
        };
    }
}
