namespace Cutover.Kernel.Metrics;

/// <summary>
/// The requests sent to one side whose answer has not begun, counted by the second they were
/// sent. A backend that accepts a request and never answers shows in no finished count until its
/// timeout, so a sweep once a second counts the requests still unanswered past a threshold as
/// errors there and then (<see cref="Sweep"/>), and a plan's triggers see a hung candidate within
/// seconds rather than after a 100-second timeout.
/// </summary>
/// <remarks>
/// Each slot is one word: the second (upper 32 bits), whether it was swept (bit 31) and how many
/// of its requests are unanswered (the rest). A request leaves its slot and a sweep closes it with
/// one compare-and-swap each, so every request is counted exactly once: as unanswered by the
/// sweep, or as finished by the data plane, never both and never neither. The wheel covers
/// <see cref="Span"/> seconds; a threshold is at most a few minutes (the config refuses more).
/// </remarks>
public sealed class UnansweredRequests
{
    /// <summary>The seconds the wheel covers; a request unanswered longer than this was swept long ago.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromSeconds(Slots);

    private const int Slots = 512;
    private const long SweptBit = 1L << 31;
    private const long CountMask = SweptBit - 1;

    private readonly long[] _slots = new long[Slots];
    private readonly Lock _sweeping = new();
    private long? _sweptThrough;

    /// <summary>Counts a request sent in <paramref name="second"/> (any monotonic count of seconds).</summary>
    public void Sent(long second)
    {
        ref var slot = ref _slots[second & (Slots - 1)];
        while (true)
        {
            var seen = Volatile.Read(ref slot);
            var next = SecondOf(seen) == (uint)second ? seen + 1 : ((long)(uint)second << 32) | 1;
            if (Interlocked.CompareExchange(ref slot, next, seen) == seen)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Takes a request sent in <paramref name="second"/> off the wheel once its answer begins (or
    /// it ends without one). Returns whether a sweep already counted it as unanswered, in which
    /// case its end must not be counted again.
    /// </summary>
    public bool Answered(long second)
    {
        ref var slot = ref _slots[second & (Slots - 1)];
        while (true)
        {
            var seen = Volatile.Read(ref slot);
            if (SecondOf(seen) != (uint)second)
            {
                // Its slot went to a second a whole wheel later: a request that old was swept.
                return true;
            }

            if ((seen & SweptBit) != 0)
            {
                return true;
            }

            if (Interlocked.CompareExchange(ref slot, seen - 1, seen) == seen)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Closes every second up to <paramref name="throughSecond"/> not closed yet and returns how
    /// many of their requests are still unanswered: from now on those count as errors, and their
    /// ends do not count again. The first sweep closes only what the wheel still holds.
    /// </summary>
    public long Sweep(long throughSecond)
    {
        lock (_sweeping)
        {
            var from = Math.Max((_sweptThrough ?? long.MinValue) + 1, throughSecond - Slots + 1);
            var unanswered = 0L;
            for (var second = from; second <= throughSecond; second++)
            {
                unanswered += Close(second);
            }

            if (_sweptThrough is null || throughSecond > _sweptThrough)
            {
                _sweptThrough = throughSecond;
            }

            return unanswered;
        }
    }

    private static uint SecondOf(long word) => (uint)((ulong)word >> 32);

    private long Close(long second)
    {
        ref var slot = ref _slots[second & (Slots - 1)];
        while (true)
        {
            var seen = Volatile.Read(ref slot);
            if (SecondOf(seen) != (uint)second || (seen & SweptBit) != 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref slot, seen | SweptBit, seen) == seen)
            {
                return seen & CountMask;
            }
        }
    }
}
