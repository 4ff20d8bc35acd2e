using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Core.State;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Configuration;

/// <summary>Joins the validated config with the stored run-time state into models and snapshots.</summary>
public static class SnapshotBuilder
{
    /// <summary>The model of one migration in a given state.</summary>
    public static MigrationModel Model(MigrationDefinition definition, MigrationState state, MetricsRegistry metrics) =>
        new(definition, state.Mode, state.Weight, metrics.For(definition.Name));

    /// <summary>
    /// A whole snapshot; every migration of the definition must have a state. Code-level migrations
    /// are left out: the proxy has no route for them, and <see cref="RoutingSnapshot.With"/> leaves
    /// a snapshot without them as it is.
    /// </summary>
    public static RoutingSnapshot Snapshot(CutoverDefinition definition, IReadOnlyDictionary<string, MigrationState> states, MetricsRegistry metrics, long generation) =>
        new(definition.Migrations.Where(m => m.Kind == MigrationKind.Http).Select(m => Model(m, states[m.Name], metrics)), definition.Fallback, generation, definition.FallbackBackend);
}
