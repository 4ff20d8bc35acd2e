using Cutover.Core.Routing;
using Cutover.Server.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The request path: match the request to a migration, pick the side from the current snapshot,
/// forward, count. It reads the snapshot once, takes no lock and touches no store, so a change
/// of weight or mode never delays or fails a request in flight.
/// </summary>
public sealed class DataPlane(SnapshotSource snapshots, IHttpForwarder forwarder, HttpMessageInvoker client)
{
    /// <summary>Handles one request; the terminal middleware of the data plane.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var snapshot = snapshots.Current;
        var migration = MigrationMatcher.Find(snapshot, context.Request);
        if (migration is null)
        {
            await ForwardToFallbackAsync(context, snapshot);
            return;
        }

        var bucket = migration.NeedsStickyKey ? StickyKeyReader.Bucket(context, migration) : 0;
        var side = migration.Decide(bucket);
        var error = await forwarder.SendAsync(
            context, migration.PrefixOf(side), client, RequestConfigs.For(migration.TimeoutOf(side)), CutoverTransformer.Instance);

        var backendFault = ForwarderErrors.IsBackendFault(error);
        migration.Counters.Of(side).Record(failed: backendFault || context.Response.StatusCode >= 500);
        if (backendFault)
        {
            await BackendProblem.WriteAsync(context, migration.Name, side, error);
        }
    }

    private async Task ForwardToFallbackAsync(HttpContext context, RoutingSnapshot snapshot)
    {
        if (snapshot.FallbackPrefix is not { } fallback)
        {
            await BackendProblem.WriteNotFoundAsync(context);
            return;
        }

        var error = await forwarder.SendAsync(context, fallback, client, ForwarderRequestConfig.Empty, CutoverTransformer.Instance);
        if (ForwarderErrors.IsBackendFault(error))
        {
            await BackendProblem.WriteAsync(context, migration: null, Side.Legacy, error);
        }
    }
}
