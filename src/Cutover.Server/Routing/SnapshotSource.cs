using Cutover.Core.Routing;

namespace Cutover.Server.Routing;

/// <summary>
/// Holds the routing snapshot the data plane reads. Publishing swaps the reference atomically:
/// a request that already read the old snapshot finishes on it, the next one sees the new one.
/// </summary>
public sealed class SnapshotSource
{
    private RoutingSnapshot _current = RoutingSnapshot.Empty;

    /// <summary>The snapshot new requests route by.</summary>
    public RoutingSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether a real snapshot has been published (for <c>/readyz</c>).</summary>
    public bool IsLoaded => !ReferenceEquals(Current, RoutingSnapshot.Empty);

    /// <summary>Makes a snapshot current for every request that starts from now on.</summary>
    public void Publish(RoutingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _current, snapshot);
    }
}
