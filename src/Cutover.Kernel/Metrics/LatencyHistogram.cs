using System.Numerics;

namespace Cutover.Kernel.Metrics;

/// <summary>
/// Latencies of one side of one migration since the process started, in a log-linear histogram:
/// exact below 128 µs, then 128 equal slots per power of two, so every quantile read from it is
/// within 0.4% of the true value (half a slot of 1/128). Recording is one interlocked increment
/// and no allocation, so it can sit on the request path; the counts only grow, so a reader takes
/// a snapshot at any time and subtracts an earlier one to get the latencies in between, and a
/// sample recorded while a snapshot is read is never lost, only counted in the next one.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Slots per power of two: 2^7 = 128, a slot at most 1/128 of its lower bound wide.</summary>
    internal const int SubBucketBits = 7;

    /// <summary>The largest latency told apart, about 71 minutes; longer ones are counted in the last slot.</summary>
    public const long MaxTrackedMicroseconds = (1L << 32) - 1;

    private const int SubBuckets = 1 << SubBucketBits;
    private const int HighestExponent = 31;

    /// <summary>Slots in all: the exact ones below 128 µs, then 128 per power of two up to 2^31.</summary>
    internal const int SlotCount = SubBuckets + ((HighestExponent - SubBucketBits + 1) * SubBuckets);

    private readonly long[] _counts = new long[SlotCount];

    /// <summary>Counts one latency.</summary>
    public void Record(long microseconds) => Interlocked.Increment(ref _counts[SlotOf(microseconds)]);

    /// <summary>
    /// Counts the latencies of a stretch recorded elsewhere (an application's in-process SDK
    /// reporting to the control plane), so they are judged with the ones recorded here.
    /// </summary>
    public void Add(HistogramSnapshot latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        foreach (var (slot, count) in latencies.Slots())
        {
            Interlocked.Add(ref _counts[slot], count);
        }
    }

    /// <summary>Every count so far, as one consistent-enough copy (each slot read once, atomically).</summary>
    public long[] ReadCounts()
    {
        var counts = new long[SlotCount];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }

        return counts;
    }

    /// <summary>The slot a latency is counted in.</summary>
    internal static int SlotOf(long microseconds)
    {
        if (microseconds < SubBuckets)
        {
            return microseconds <= 0 ? 0 : (int)microseconds;
        }

        var value = (ulong)Math.Min(microseconds, MaxTrackedMicroseconds);
        var exponent = BitOperations.Log2(value);
        var shift = exponent - SubBucketBits;
        var sub = (int)(value >> shift) - SubBuckets;
        return SubBuckets + (shift * SubBuckets) + sub;
    }

    /// <summary>The smallest latency counted in a slot.</summary>
    public static long LowerBoundOf(int slot)
    {
        if (slot < SubBuckets)
        {
            return slot;
        }

        var shift = (slot - SubBuckets) / SubBuckets;
        var sub = (slot - SubBuckets) % SubBuckets;
        return (long)(SubBuckets + sub) << shift;
    }

    /// <summary>How many latencies a slot spans: 1 below 128 µs, then the power of two's share.</summary>
    internal static long WidthOf(int slot) => slot < SubBuckets ? 1 : 1L << ((slot - SubBuckets) / SubBuckets);

    /// <summary>The value a slot stands for when read back: the middle of its span (exact for one-wide slots).</summary>
    public static double ValueOf(int slot) => LowerBoundOf(slot) + ((WidthOf(slot) - 1) / 2.0);
}
