using Cutover.Core.Configuration;
using Cutover.Core.Shadow;
using Cutover.Kernel.Metrics;
using Cutover.Server.Routing;
using Cutover.Store;

namespace Cutover.Server.Hosting;

/// <summary>
/// The objects the data plane and the admin API share inside one process: the validated config,
/// the store, the current snapshot, the counters and the shadow evidence. Each of the two web hosts gets the same instances.
/// </summary>
/// <param name="Definition">The validated config.</param>
/// <param name="Store">The control store.</param>
/// <param name="Snapshots">The routing snapshot the data plane reads.</param>
/// <param name="Metrics">The per-side counters.</param>
/// <param name="Evidence">The shadow path's learned noise and unflushed evidence.</param>
public sealed record CutoverRuntime(CutoverDefinition Definition, IControlStore Store, SnapshotSource Snapshots, MetricsRegistry Metrics, ShadowEvidence Evidence);
