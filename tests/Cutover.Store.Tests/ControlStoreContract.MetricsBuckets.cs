using Cutover.Kernel.Metrics;

namespace Cutover.Store.Tests;

/// <summary>Every replica's metrics buckets: saved, replaced, read by start and pruned, on each engine.</summary>
public abstract partial class ControlStoreContract
{
    [Fact]
    public async Task SaveMetricsAsync_TwoReplicas_EachKeepsItsOwnRowAndASecondSaveReplacesTheFirst()
    {
        var store = await OpenAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_740_830_400);
        await store.SaveMetricsAsync([new ReplicaBucket("orders", "a", Bucket(start, candidateRequests: 5, candidateErrors: 1))]);
        await store.SaveMetricsAsync(
        [
            new ReplicaBucket("orders", "a", Bucket(start, candidateRequests: 9, candidateErrors: 2)),
            new ReplicaBucket("orders", "b", Bucket(start, candidateRequests: 4, candidateErrors: 4)),
            new ReplicaBucket("billing", "a", Bucket(start.AddSeconds(10), candidateRequests: 1, candidateErrors: 0)),
        ]);

        var stored = await store.GetMetricsAsync(start);

        Assert.Equal(3, stored.Count);
        var a = Assert.Single(stored, b => b.Migration == "orders" && b.Replica == "a");
        Assert.Equal((9L, 2L), (a.Bucket.Candidate.Requests, a.Bucket.Candidate.Errors));
        Assert.Equal(start, a.Bucket.Start);
        Assert.Equal(4, a.Bucket.Candidate.Latency.Count);
        Assert.Equal(a.Bucket.Candidate.Latency.Quantile(0.99), Bucket(start, 9, 2).Candidate.Latency.Quantile(0.99));
        Assert.Equal((3L, 1L, 1L), (a.Bucket.Compared, a.Bucket.Divergent, a.Bucket.Rescued));
        Assert.Equal((4L, 2L), Assert.Single(stored, b => b.Migration == "orders" && b.Replica == "b").Bucket is var b ? (b.Candidate.Errors, b.Rescued) : default);
    }

    [Fact]
    public async Task GetMetricsAsync_Since_LeavesOutOlderBucketsAndPruneDeletesThem()
    {
        var store = await OpenAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_740_830_400);
        await store.SaveMetricsAsync(
        [
            new ReplicaBucket("orders", "a", Bucket(start, 1, 0)),
            new ReplicaBucket("orders", "a", Bucket(start.AddSeconds(10), 2, 0)),
            new ReplicaBucket("orders", "a", Bucket(start.AddSeconds(20), 3, 0)),
        ]);

        var recent = await store.GetMetricsAsync(start.AddSeconds(10));
        var pruned = await store.PruneMetricsAsync(start.AddSeconds(20));
        var left = await store.GetMetricsAsync(DateTimeOffset.UnixEpoch);

        Assert.Equal([2L, 3L], recent.Select(b => b.Bucket.Candidate.Requests));
        Assert.Equal(2, pruned);
        Assert.Equal(3, Assert.Single(left).Bucket.Candidate.Requests);
    }

    [Fact]
    public async Task OpenAsync_BucketsWrittenBeforeRescuedWasCounted_AreUpgradedWithNoneRescued()
    {
        var store = await OpenAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_740_830_400);
        await store.SaveMetricsAsync([new ReplicaBucket("orders", "a", Bucket(start, candidateRequests: 4, candidateErrors: 2))]);
        await RewindSchemaAsync(11);

        var upgraded = await OpenAsync();
        var bucket = Assert.Single(await upgraded.GetMetricsAsync(start)).Bucket;

        Assert.Equal((4L, 2L, 0L), (bucket.Candidate.Requests, bucket.Candidate.Errors, bucket.Rescued));
    }

    private static MetricsBucket Bucket(DateTimeOffset start, long candidateRequests, long candidateErrors) => new(
        start,
        new SideBucket(10, 0, HistogramSnapshot.Of([500, 700])),
        new SideBucket(candidateRequests, candidateErrors, HistogramSnapshot.Of([1000, 2000, 2000, 30000])),
        3,
        1,
        Rescued: candidateErrors / 2);
}
