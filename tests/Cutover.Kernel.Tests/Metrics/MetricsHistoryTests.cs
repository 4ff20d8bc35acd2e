using Cutover.Kernel.Metrics;

namespace Cutover.Kernel.Tests.Metrics;

public sealed class MetricsHistoryTests
{
    // 12:00:03 UTC: three seconds into a bucket.
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 3, TimeSpan.Zero);
    private static readonly DateTimeOffset BucketOfStart = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly MigrationCounters _counters = new();

    [Fact]
    public void BucketStartOf_AnyInstant_IsAWholeTenSecondMarkSinceTheEpoch()
    {
        Assert.Equal(BucketOfStart, MetricsHistory.BucketStartOf(Start));
        Assert.Equal(BucketOfStart, MetricsHistory.BucketStartOf(BucketOfStart));
        Assert.Equal(BucketOfStart.AddSeconds(10), MetricsHistory.BucketStartOf(BucketOfStart.AddSeconds(19.999)));
        Assert.Equal(TimeSpan.Zero, MetricsHistory.BucketStartOf(new DateTimeOffset(2026, 3, 1, 13, 0, 4, TimeSpan.FromHours(1))).Offset);
    }

    [Fact]
    public void Roll_AfterRecording_ClosesWhatWasCountedSinceTheLastRollUnderItsBucket()
    {
        _counters.Legacy.Record(100, failed: false); // before the history started: left out
        var history = new MetricsHistory(_counters, Start);
        _counters.Legacy.Record(300, failed: false);
        _counters.Candidate.Record(900, failed: true);
        _counters.Shadow.RecordCompared(equal: false);

        var bucket = history.Roll(BucketOfStart.AddSeconds(10))!;

        Assert.Equal(BucketOfStart, bucket.Start);
        Assert.Equal(1, bucket.Legacy.Requests);
        Assert.Equal(300, bucket.Legacy.Latency.Quantile(1)!.Value, 300 * 0.004);
        Assert.Equal((1, 1), (bucket.Candidate.Requests, bucket.Candidate.Errors));
        Assert.Equal((1, 1), (bucket.Compared, bucket.Divergent));
        Assert.Null(history.Roll(BucketOfStart.AddSeconds(20)));
    }

    [Fact]
    public void Recent_Window_HoldsTheBucketsThatOverlapItAndTheLivePartOfTheCurrentOne()
    {
        var history = new MetricsHistory(_counters, Start);
        var now = BucketOfStart;
        for (var i = 1; i <= 30; i++)
        {
            _counters.Candidate.Record(1000 * i, failed: i > 25);
            now = BucketOfStart.AddSeconds(10 * i);
            history.Roll(now);
        }

        _counters.Candidate.Record(50_000, failed: true); // not rolled yet

        var recent = history.Recent(TimeSpan.FromMinutes(1), now.AddSeconds(4));
        var window = MetricsWindow.Of(recent, now.AddSeconds(4).AddMinutes(-1), now.AddSeconds(4));

        // The minute before 12:05:04 overlaps the buckets from 12:04:00 (ending 12:04:10) on: six closed, plus the live one.
        Assert.Equal(7, recent.Count);
        Assert.Equal(BucketOfStart.AddMinutes(4), window.From);
        Assert.Equal(7, window.Candidate.Requests);
        Assert.Equal(6, window.Candidate.Errors);
        Assert.Equal(6.0 / 7, window.Candidate.ErrorRate!.Value, 6);
        Assert.Equal(50, window.Candidate.MaxLatencyMs!.Value, 0);
        Assert.Null(window.Legacy.ErrorRate);
        Assert.Null(window.Legacy.LatencyMs(0.99));
        Assert.Null(window.DivergenceRate);
    }

    [Fact]
    public void FirstBucketFrom_MidBucket_IsTheNextMark_OnAMark_IsItself()
    {
        Assert.Equal(BucketOfStart.AddSeconds(10), MetricsHistory.FirstBucketFrom(Start));
        Assert.Equal(BucketOfStart, MetricsHistory.FirstBucketFrom(BucketOfStart));
        Assert.Equal(BucketOfStart.AddSeconds(10), MetricsHistory.FirstBucketFrom(BucketOfStart.AddTicks(1)));
    }

    [Fact]
    public void Recent_WindowStartingAfterTheLiveBucketBegan_LeavesItsRequestsOut()
    {
        var history = new MetricsHistory(_counters, BucketOfStart);
        _counters.Candidate.Record(1000, failed: false); // at 12:00:03, live, not rolled

        var fromTheNextMark = history.Recent(TimeSpan.FromSeconds(-7), Start);
        var fromTheMark = history.Recent(TimeSpan.FromSeconds(3), Start);

        Assert.Empty(fromTheNextMark);
        Assert.Equal(1, Assert.Single(fromTheMark).Candidate.Requests);
    }

    [Fact]
    public void Roll_SecondWithinOneBucket_AddsToIt()
    {
        var history = new MetricsHistory(_counters, BucketOfStart);
        _counters.Legacy.Record(100, failed: false);
        history.Roll(BucketOfStart.AddSeconds(2));
        _counters.Legacy.Record(100, failed: false);
        var bucket = history.Roll(BucketOfStart.AddSeconds(5))!;

        Assert.Equal(BucketOfStart, bucket.Start);
        Assert.Equal(2, bucket.Legacy.Requests);
        Assert.Single(history.Recent(TimeSpan.FromMinutes(1), BucketOfStart.AddSeconds(6)));
    }

    [Fact]
    public void Roll_PastCapacity_KeepsOnlyALittleOverAnHourOfBuckets()
    {
        var history = new MetricsHistory(_counters, BucketOfStart);
        var now = BucketOfStart;
        for (var i = 1; i <= MetricsHistory.Capacity + 50; i++)
        {
            _counters.Legacy.Record(100, failed: false);
            now = BucketOfStart.AddSeconds(10 * i);
            history.Roll(now);
        }

        var all = history.Recent(TimeSpan.FromDays(1), now);
        Assert.Equal(MetricsHistory.Capacity, all.Count);
        Assert.True(now - all[0].Start > TimeSpan.FromHours(1));
    }

    [Fact]
    public void Roll_WhileRequestsAreRecorded_LosesNone()
    {
        var history = new MetricsHistory(_counters, BucketOfStart);
        var closed = new List<MetricsBucket>();
        using var done = new CancellationTokenSource();
        var recorders = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                _counters.Candidate.Record(200 + (i % 50), failed: i % 10 == 0);
            }
        })).ToArray();
        var now = BucketOfStart;
        while (!Task.WhenAll(recorders).IsCompleted)
        {
            now = now.AddSeconds(10);
            if (history.Roll(now) is { } bucket)
            {
                closed.Add(bucket);
            }
        }

        now = now.AddSeconds(10);
        closed.AddRange(history.Roll(now) is { } last ? [last] : []);

        Assert.Equal(400_000, closed.Sum(b => b.Candidate.Requests));
        Assert.Equal(40_000, closed.Sum(b => b.Candidate.Errors));
        Assert.Equal(400_000, closed.Sum(b => b.Candidate.Latency.Count));
    }
}
