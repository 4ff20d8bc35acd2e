namespace Cutover.Core.Shadow;

/// <summary>The stored evidence of one migration, grouped by endpoint, most divergent first.</summary>
/// <param name="Migration">The migration.</param>
/// <param name="Endpoints">Every endpoint compared at least once.</param>
public sealed record DivergenceReport(string Migration, IReadOnlyList<EndpointDivergence> Endpoints);

/// <summary>One endpoint's evidence.</summary>
/// <param name="Endpoint">The endpoint, such as <c>GET /orders/{id}</c>.</param>
/// <param name="Compared">Pairs compared, across every replica.</param>
/// <param name="Divergent">Pairs that differed.</param>
/// <param name="FirstSeen">The first comparison.</param>
/// <param name="LastSeen">The last comparison.</param>
/// <param name="Paths">The differing paths, most frequent first.</param>
/// <param name="Noise">The paths learned as noise on this endpoint, in path order.</param>
/// <param name="Samples">The stored samples, newest first.</param>
public sealed record EndpointDivergence(
    string Endpoint,
    long Compared,
    long Divergent,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    IReadOnlyList<PathTally> Paths,
    IReadOnlyList<NoiseEntry> Noise,
    IReadOnlyList<SampleReference> Samples);

/// <summary>Which stored sample illustrates which path.</summary>
/// <param name="Id">The sample's id, for <c>GET /api/migrations/{name}/divergences?sample=ID</c>.</param>
/// <param name="Path">The path it illustrates.</param>
/// <param name="Time">When its request was served.</param>
public sealed record SampleReference(long Id, string Path, DateTimeOffset Time);
