using System.Buffers.Binary;

namespace Cutover.Kernel.Metrics;

/// <summary>
/// The latencies of a stretch of time: the non-empty slots of a <see cref="LatencyHistogram"/>
/// with their counts. Small (a side's latencies rarely span more than a few hundred slots), so
/// an hour of 10-second buckets fits in memory, and mergeable, so buckets add up to a window
/// and replicas add up to a fleet. Quantiles are read with the nearest-rank method and are
/// within 0.4% of the latency they stand for.
/// </summary>
public sealed class HistogramSnapshot
{
    private readonly int[] _slots;
    private readonly long[] _counts;

    private HistogramSnapshot(int[] slots, long[] counts)
    {
        _slots = slots;
        _counts = counts;
        foreach (var count in counts)
        {
            Count += count;
        }
    }

    /// <summary>No latencies.</summary>
    public static HistogramSnapshot Empty { get; } = new([], []);

    /// <summary>How many latencies.</summary>
    public long Count { get; }

    /// <summary>The latencies counted between two readings of one histogram (<see cref="LatencyHistogram.ReadCounts"/>), earlier first.</summary>
    public static HistogramSnapshot Between(long[] earlier, long[] later)
    {
        var slots = new List<int>();
        var counts = new List<long>();
        for (var slot = 0; slot < later.Length; slot++)
        {
            var count = later[slot] - earlier[slot];
            if (count > 0)
            {
                slots.Add(slot);
                counts.Add(count);
            }
        }

        return slots.Count == 0 ? Empty : new HistogramSnapshot([.. slots], [.. counts]);
    }

    /// <summary>The latencies of several snapshots together.</summary>
    public static HistogramSnapshot Merge(IEnumerable<HistogramSnapshot> snapshots)
    {
        var merged = new SortedDictionary<int, long>();
        foreach (var snapshot in snapshots)
        {
            for (var i = 0; i < snapshot._slots.Length; i++)
            {
                merged[snapshot._slots[i]] = merged.GetValueOrDefault(snapshot._slots[i]) + snapshot._counts[i];
            }
        }

        return merged.Count == 0 ? Empty : new HistogramSnapshot([.. merged.Keys], [.. merged.Values]);
    }

    /// <summary>Builds a snapshot from latencies given one by one, in microseconds.</summary>
    public static HistogramSnapshot Of(IEnumerable<long> microseconds)
    {
        var histogram = new LatencyHistogram();
        foreach (var value in microseconds)
        {
            histogram.Record(value);
        }

        return Between(new long[LatencyHistogram.SlotCount], histogram.ReadCounts());
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1), in microseconds; null when there are none.</summary>
    public double? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        var seen = 0L;
        for (var i = 0; i < _slots.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return LatencyHistogram.ValueOf(_slots[i]);
            }
        }

        return LatencyHistogram.ValueOf(_slots[^1]);
    }

    /// <summary>The largest latency, in microseconds; null when there are none.</summary>
    public double? Max => Count == 0 ? null : LatencyHistogram.ValueOf(_slots[^1]);

    /// <summary>Each latency value (the slot's middle, in microseconds) with how often it occurred, smallest first: what a rank test needs.</summary>
    public IEnumerable<(double Microseconds, long Count)> Values()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            yield return (LatencyHistogram.ValueOf(_slots[i]), _counts[i]);
        }
    }

    /// <summary>Each non-empty slot of <see cref="LatencyHistogram"/> with its count, smallest first.</summary>
    internal IEnumerable<(int Slot, long Count)> Slots()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            yield return (_slots[i], _counts[i]);
        }
    }

    /// <summary>A compact encoding for the store: pairs of slot and count, 12 bytes each, little-endian.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[_slots.Length * 12];
        for (var i = 0; i < _slots.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 12), _slots[i]);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((i * 12) + 4), _counts[i]);
        }

        return bytes;
    }

    /// <summary>Reads <see cref="ToBytes"/>'s encoding back; refuses anything else rather than judging on garbage.</summary>
    public static HistogramSnapshot FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 12 != 0)
        {
            throw new FormatException($"A stored latency histogram is {bytes.Length} bytes long, not a whole number of 12-byte slots.");
        }

        var slots = new int[bytes.Length / 12];
        var counts = new long[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 12)..]);
            counts[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[((i * 12) + 4)..]);
            if (slots[i] < 0 || slots[i] >= LatencyHistogram.SlotCount || counts[i] <= 0 || (i > 0 && slots[i] <= slots[i - 1]))
            {
                throw new FormatException($"A stored latency histogram has an invalid slot {slots[i]} with count {counts[i]} at position {i}.");
            }
        }

        return slots.Length == 0 ? Empty : new HistogramSnapshot(slots, counts);
    }
}
