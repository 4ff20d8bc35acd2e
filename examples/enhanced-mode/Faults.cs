namespace EnhancedSearch;

/// <summary>The bug the walkthrough can switch on: every search answered this many milliseconds late (<c>POST /faults?delayMs=800</c>).</summary>
internal sealed class Faults
{
    private int _delayMs;

    /// <summary>The added delay in milliseconds; 0 for none.</summary>
    public int DelayMs
    {
        get => Volatile.Read(ref _delayMs);
        set => Volatile.Write(ref _delayMs, value);
    }
}
