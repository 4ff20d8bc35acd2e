using Cutover.Kernel.Metrics;
using Cutover.Server.Metrics;
using Cutover.Store;

namespace Cutover.Server.Tests.Metrics;

/// <summary>A flush sends only the buckets that changed since this replica last wrote them.</summary>
public sealed class FlushedBucketsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Changed_NothingWrittenYet_IsEveryBucket()
    {
        var flushed = new FlushedBuckets();
        var buckets = new[] { Bucket("orders", Start, 3), Bucket("orders", Start.AddSeconds(10), 1), Bucket("users", Start, 2) };

        Assert.Equal(buckets, flushed.Changed(buckets));
    }

    [Fact]
    public void Changed_AfterAWrite_IsOnlyTheBucketsWhoseCountsGrew()
    {
        var flushed = new FlushedBuckets();
        flushed.Written([Bucket("orders", Start, 3), Bucket("orders", Start.AddSeconds(10), 1), Bucket("users", Start, 2)], Start);

        var grown = Bucket("orders", Start.AddSeconds(10), 1, compared: 1);
        var fresh = Bucket("users", Start.AddSeconds(10), 1);
        var changed = flushed.Changed([Bucket("orders", Start, 3), grown, Bucket("users", Start, 2), fresh]);

        Assert.Equal([grown, fresh], changed);
    }

    [Fact]
    public void Written_BucketsBeforeTheOldest_AreForgottenSoTheyCountAsChangedAgain()
    {
        var flushed = new FlushedBuckets();
        flushed.Written([Bucket("orders", Start, 3), Bucket("orders", Start.AddSeconds(10), 1)], Start);

        flushed.Written([], Start.AddSeconds(10));

        Assert.Equal([Bucket("orders", Start, 3)], flushed.Changed([Bucket("orders", Start, 3), Bucket("orders", Start.AddSeconds(10), 1)]));
    }

    private static ReplicaBucket Bucket(string migration, DateTimeOffset start, long requests, long compared = 0) =>
        new(migration, "replica-a", new MetricsBucket(start, new SideBucket(requests, 0, HistogramSnapshot.Empty), SideBucket.Empty, compared, 0, 0));
}
