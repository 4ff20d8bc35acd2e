using Cutover.Kernel.Metrics;
using Cutover.Server.Diagnostics;
using Cutover.Server.Settings;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Shadow;

/// <summary>
/// The bytes all migrations' shadow copies may hold together in this process
/// (<see cref="Settings.CutoverHostOptions.ShadowMemoryBudget"/>), and giving that memory back
/// once they are all sent. Captured answers of a few MB live on the large-object heap, which a
/// process that has stopped allocating never collects: without a collection when the queues
/// drain, the peak stays in the process for good.
/// </summary>
internal sealed class ShadowMemory
{
    /// <summary>The least time between two collections, so a queue that fills and drains over and over does not stop the process each time.</summary>
    private static readonly TimeSpan ReclaimInterval = TimeSpan.FromSeconds(30);

    private readonly HeldBytes _held = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ShadowMemory> _logger;
    private long _peak;
    private long _lastReclaim;

    /// <summary>Takes the budget from the host's settings; a budget under 1 MiB is refused.</summary>
    public ShadowMemory(long limit, TimeProvider time, ILogger<ShadowMemory> logger)
    {
        if (limit < MinimumLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit,
                $"CutoverHostOptions.ShadowMemoryBudget is {limit} bytes; give at least {MinimumLimit} (1 MiB), or leave it at the default of {Settings.CutoverHostOptions.DefaultShadowMemoryBudget}");
        }

        Limit = limit;
        _time = time;
        _logger = logger;
        _lastReclaim = DateTimeOffset.MinValue.UtcTicks;
    }

    /// <summary>The smallest budget accepted.</summary>
    public const long MinimumLimit = 1024 * 1024;

    /// <summary>The most bytes all copies may hold together.</summary>
    public long Limit { get; }

    /// <summary>The bytes all copies hold now.</summary>
    public long Held => _held.Held;

    /// <summary>Holds a copy's bytes when the total stays within the budget.</summary>
    public bool TryHold(long bytes)
    {
        if (!_held.TryHold(bytes, Limit))
        {
            return false;
        }

        var held = _held.Held;
        var peak = Volatile.Read(ref _peak);
        while (held > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, held, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }

        return true;
    }

    /// <summary>Gives back a sent or dropped copy's bytes; when that empties the queues after they held a lot, gives the memory back to the system.</summary>
    public void Release(long bytes)
    {
        if (_held.Release(bytes) != 0 || Volatile.Read(ref _peak) < Limit / 4)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcTicks;
        var last = Volatile.Read(ref _lastReclaim);
        if (now - last < ReclaimInterval.Ticks || Interlocked.CompareExchange(ref _lastReclaim, now, last) != last)
        {
            return;
        }

        var peak = Interlocked.Exchange(ref _peak, 0);
        var before = Environment.WorkingSet;
        // Aggressive compacts the large-object heap too and returns the freed pages to the system; the live heap of a proxy is small, so the pause is short.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        CutoverLog.ShadowMemoryReclaimed(_logger, peak, before, Environment.WorkingSet);
    }
}
