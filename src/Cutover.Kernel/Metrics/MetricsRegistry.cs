using System.Collections.Concurrent;

namespace Cutover.Kernel.Metrics;

/// <summary>
/// Owns the counters and the in-memory history of every migration for the life of the process,
/// so that rebuilding a snapshot after a change keeps counting where it left off.
/// </summary>
public sealed class MetricsRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, MigrationMetrics> _metrics = new(StringComparer.Ordinal);

    /// <summary>A registry on the system clock.</summary>
    public MetricsRegistry()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The names of the migrations counted so far.</summary>
    public IEnumerable<string> Names => _metrics.Keys;

    /// <summary>The counters of a migration, created on first use.</summary>
    public MigrationCounters For(string migration) => Of(migration).Counters;

    /// <summary>The 10-second history of a migration, created on first use.</summary>
    public MetricsHistory History(string migration) => Of(migration).History;

    private MigrationMetrics Of(string migration) => _metrics.GetOrAdd(migration, static (_, now) =>
    {
        var counters = new MigrationCounters();
        return new MigrationMetrics(counters, new MetricsHistory(counters, now));
    }, time.GetUtcNow());

    private sealed record MigrationMetrics(MigrationCounters Counters, MetricsHistory History);
}
