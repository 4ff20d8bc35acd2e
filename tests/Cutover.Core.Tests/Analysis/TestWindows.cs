using Cutover.Core.Analysis;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Tests.Analysis;

/// <summary>Metrics windows built the way the proxy builds them: a bucket's sides, summarised by <see cref="MetricsWindow.Of"/>.</summary>
internal static class TestWindows
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A side that served nothing.</summary>
    public static SideBucket None => SideBucket.Empty;

    /// <summary>A side that served <paramref name="requests"/> requests, each taking <paramref name="microseconds"/>.</summary>
    public static SideBucket Side(int requests, int errors, long microseconds) =>
        Side(errors, Enumerable.Repeat(microseconds, requests).ToArray());

    /// <summary>A side that served one request per latency given.</summary>
    public static SideBucket Side(int errors, IReadOnlyCollection<long> microseconds) =>
        new(microseconds.Count, errors, HistogramSnapshot.Of(microseconds));

    /// <summary>The window of one 10-second bucket.</summary>
    public static MetricsWindow Window(SideBucket legacy, SideBucket candidate, long compared = 0, long divergent = 0) =>
        MetricsWindow.Of([new MetricsBucket(Start, legacy, candidate, compared, divergent, Rescued: 0)], Start, Start.AddSeconds(10));

    /// <summary>The input conditions read, judging on <paramref name="minSamples"/>.</summary>
    public static AnalysisInput Input(SideBucket legacy, SideBucket candidate, int minSamples, long compared = 0, long divergent = 0) =>
        new(Window(legacy, candidate, compared, divergent), minSamples);
}
