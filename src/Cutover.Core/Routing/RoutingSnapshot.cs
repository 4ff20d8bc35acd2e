namespace Cutover.Core.Routing;

/// <summary>
/// Everything the data plane needs to route a request, immutable and swapped whole. A request
/// reads the current snapshot once and finishes on it, so a change never splits one request
/// across two configurations and needs no lock on the request path.
/// </summary>
public sealed class RoutingSnapshot
{
    /// <summary>
    /// Creates a snapshot; migrations are ordered here, most specific match first.
    /// <paramref name="fallbackBackend"/> says how the fallback is spoken to (<see cref="BackendSettings.Default"/> when null).
    /// </summary>
    public RoutingSnapshot(IEnumerable<MigrationModel> migrations, Uri? fallback, long generation, BackendSettings? fallbackBackend = null)
    {
        // OrderBy is stable: equally specific migrations keep their config order, on every rebuild.
        var ordered = migrations.OrderBy(m => m.Match, Comparer<MatchModel>.Create(MatchModel.CompareSpecificity)).ToList();
        Migrations = ordered;
        Fallback = fallback;
        FallbackPrefix = fallback?.AbsoluteUri;
        FallbackBackend = fallbackBackend ?? BackendSettings.Default;
        Generation = generation;
    }

    /// <summary>An empty snapshot, before any config is loaded.</summary>
    public static RoutingSnapshot Empty { get; } = new([], null, 0);

    /// <summary>Migrations, most specific match first.</summary>
    public IReadOnlyList<MigrationModel> Migrations { get; }

    /// <summary>Where requests that match no migration go; null means 404.</summary>
    public Uri? Fallback { get; }

    /// <summary>The fallback as a forwarder destination prefix.</summary>
    public string? FallbackPrefix { get; }

    /// <summary>How the fallback is spoken to besides its address.</summary>
    public BackendSettings FallbackBackend { get; }

    /// <summary>Increases with every published snapshot, for diagnostics.</summary>
    public long Generation { get; }

    /// <summary>A copy with one migration replaced, as after a weight or mode change.</summary>
    public RoutingSnapshot With(MigrationModel changed) =>
        new(Migrations.Select(m => m.Name == changed.Name ? changed : m), Fallback, Generation + 1, FallbackBackend);
}
