namespace Cutover.Core.Shadow;

/// <summary>Comparisons of one endpoint: how many pairs were compared, how many differed, and where.</summary>
/// <param name="Endpoint">The endpoint: method and path template, such as <c>GET /orders/{id}</c>.</param>
/// <param name="Compared">Pairs compared.</param>
/// <param name="Divergent">Pairs that differed under the rules.</param>
/// <param name="FirstSeen">The first comparison counted.</param>
/// <param name="LastSeen">The last comparison counted.</param>
/// <param name="Paths">Per differing path, how often it differed.</param>
public sealed record EndpointTally(
    string Endpoint,
    long Compared,
    long Divergent,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    IReadOnlyList<PathTally> Paths);
