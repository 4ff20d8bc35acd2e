namespace Cutover.Kernel.Metrics;

/// <summary>
/// Bytes held against a limit by many threads at once, such as the copies a shadow queue keeps:
/// a hold that would pass the limit is refused whole, so the sum never exceeds it.
/// </summary>
public sealed class HeldBytes
{
    private long _held;

    /// <summary>The bytes held now.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>Holds <paramref name="bytes"/> when the sum would then be at most <paramref name="limit"/>; false, holding nothing, otherwise.</summary>
    public bool TryHold(long bytes, long limit)
    {
        var held = Volatile.Read(ref _held);
        while (held + bytes <= limit)
        {
            var seen = Interlocked.CompareExchange(ref _held, held + bytes, held);
            if (seen == held)
            {
                return true;
            }

            held = seen;
        }

        return false;
    }

    /// <summary>Gives back bytes a successful <see cref="TryHold"/> took; returns what is still held.</summary>
    public long Release(long bytes) => Interlocked.Add(ref _held, -bytes);
}
