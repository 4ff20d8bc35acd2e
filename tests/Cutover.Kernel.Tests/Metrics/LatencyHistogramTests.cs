using Cutover.Kernel.Metrics;
using FsCheck;
using FsCheck.Fluent;

namespace Cutover.Kernel.Tests.Metrics;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99, 1.0];

    [Fact]
    public void SlotOf_EverySlot_HoldsExactlyTheLatenciesBetweenItsBounds()
    {
        for (var slot = 0; slot < LatencyHistogram.SlotCount; slot++)
        {
            var lower = LatencyHistogram.LowerBoundOf(slot);
            var upper = lower + LatencyHistogram.WidthOf(slot) - 1;
            Assert.Equal(slot, LatencyHistogram.SlotOf(lower));
            Assert.Equal(slot, LatencyHistogram.SlotOf(upper));
            if (slot > 0)
            {
                Assert.Equal(slot - 1, LatencyHistogram.SlotOf(lower - 1));
            }

            // A slot is never wider than 1/128 of its lower bound, so its middle is within 0.4% of anything in it.
            Assert.True(LatencyHistogram.WidthOf(slot) == 1 || LatencyHistogram.WidthOf(slot) * 128 <= lower, $"slot {slot}");
        }
    }

    [Fact]
    public void Quantile_LatenciesUnder128Microseconds_ReadBackExactly()
    {
        var snapshot = HistogramSnapshot.Of([3, 3, 7, 90, 127]);
        Assert.Equal(3, snapshot.Quantile(0.4));
        Assert.Equal(7, snapshot.Quantile(0.6));
        Assert.Equal(127, snapshot.Max);
        Assert.Equal(5, snapshot.Count);
    }

    [Fact]
    public void Of_NegativeAndHugeLatencies_CountAsZeroAndInTheLastSlot()
    {
        var snapshot = HistogramSnapshot.Of([-5, long.MaxValue]);
        Assert.Equal(0, snapshot.Quantile(0.5));
        Assert.Equal(LatencyHistogram.SlotCount - 1, LatencyHistogram.SlotOf(long.MaxValue));
        Assert.InRange(snapshot.Max!.Value, LatencyHistogram.MaxTrackedMicroseconds * 0.99, LatencyHistogram.MaxTrackedMicroseconds);
    }

    [Fact]
    public void Quantile_EmptySnapshot_HasNone()
    {
        Assert.Null(HistogramSnapshot.Empty.Quantile(0.99));
        Assert.Null(HistogramSnapshot.Empty.Max);
    }

    [Fact]
    public void Quantile_AnyLatencies_IsWithinOnePercentOfTheExactNearestRankValue()
    {
        var latencies = Gen.Choose(0, 60_000_000).Select(v => (long)v).ArrayOf().Where(a => a.Length > 0);
        Prop.ForAll(latencies.ToArbitrary(), values =>
        {
            var snapshot = HistogramSnapshot.Of(values);
            var sorted = values.Order().ToArray();
            foreach (var q in Quantiles)
            {
                var exact = sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
                var estimate = snapshot.Quantile(q)!.Value;
                if (Math.Abs(estimate - exact) > exact * 0.01)
                {
                    return false;
                }
            }

            return Math.Abs(snapshot.Max!.Value - sorted[^1]) <= sorted[^1] * 0.01;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Quantile_SkewedLatencyDistribution_MatchesTheExactOnes()
    {
        // 100,000 latencies: mostly 200-400 µs, a tail up to 2 s, as a real backend shows.
        var random = new Random(7);
        var values = Enumerable.Range(0, 100_000)
            .Select(i => i % 100 == 0 ? (long)random.Next(5_000, 2_000_000) : random.Next(200, 400))
            .ToArray();
        var snapshot = HistogramSnapshot.Of(values);
        var sorted = values.Order().ToArray();
        foreach (var q in new[] { 0.5, 0.9, 0.95, 0.99, 0.999 })
        {
            var exact = sorted[(int)Math.Ceiling(q * sorted.Length) - 1];
            Assert.InRange(snapshot.Quantile(q)!.Value, exact * 0.99, exact * 1.01);
        }
    }

    [Fact]
    public void Merge_Snapshots_GivesTheSnapshotOfAllLatencies()
    {
        var a = HistogramSnapshot.Of([100, 5_000, 70_000]);
        var b = HistogramSnapshot.Of([100, 900]);
        var merged = HistogramSnapshot.Merge([a, b, HistogramSnapshot.Empty]);
        var all = HistogramSnapshot.Of([100, 5_000, 70_000, 100, 900]);
        Assert.Equal(all.Values(), merged.Values());
        Assert.Equal(5, merged.Count);
    }

    [Fact]
    public void Between_TwoReadings_HoldsOnlyTheLatenciesInBetween()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(150);
        var earlier = histogram.ReadCounts();
        histogram.Record(150);
        histogram.Record(2_500);
        var between = HistogramSnapshot.Between(earlier, histogram.ReadCounts());
        Assert.Equal([(150.0, 1L), (LatencyHistogram.ValueOf(LatencyHistogram.SlotOf(2_500)), 1L)], between.Values());
    }

    [Fact]
    public void FromBytes_StoreEncoding_RoundTripsAndRefusesGarbage()
    {
        var snapshot = HistogramSnapshot.Of([1, 150, 150, 9_000_000]);
        var read = HistogramSnapshot.FromBytes(snapshot.ToBytes());
        Assert.Equal(snapshot.Values(), read.Values());
        Assert.Same(HistogramSnapshot.Empty, HistogramSnapshot.FromBytes([]));

        var truncated = Assert.Throws<FormatException>(() => HistogramSnapshot.FromBytes(snapshot.ToBytes().AsSpan(0, 13)));
        Assert.Contains("13 bytes", truncated.Message);
        var bytes = snapshot.ToBytes();
        bytes[0] = 0xFF;
        bytes[3] = 0x7F; // slot far past the last one
        Assert.Throws<FormatException>(() => HistogramSnapshot.FromBytes(bytes));
    }

    [Fact]
    public void Record_FromManyThreads_LosesNothing()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                histogram.Record(100 + (i % 500));
            }
        });
        Assert.Equal(400_000, histogram.ReadCounts().Sum());
    }
}
