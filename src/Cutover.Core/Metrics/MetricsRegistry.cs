using System.Collections.Concurrent;

namespace Cutover.Core.Metrics;

/// <summary>
/// Owns the counters of every migration for the life of the process, so that rebuilding a
/// snapshot after a change keeps counting where it left off.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, MigrationCounters> _counters = new(StringComparer.Ordinal);

    /// <summary>The counters of a migration, created on first use.</summary>
    public MigrationCounters For(string migration) => _counters.GetOrAdd(migration, static _ => new MigrationCounters());
}
