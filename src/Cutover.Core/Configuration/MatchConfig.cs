namespace Cutover.Core.Configuration;

/// <summary>Which requests belong to a migration; at least a path prefix, a gRPC service or a host.</summary>
public sealed record MatchConfig
{
    /// <summary>A path prefix, matched on segment boundaries; "/" matches everything.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>
    /// A gRPC service (<c>shop.v1.Orders</c>: its calls, the path prefix <c>/shop.v1.Orders/</c>) or
    /// one method (<c>shop.v1.Orders/GetOrder</c>: that path); instead of a path prefix.
    /// </summary>
    public string? Grpc { get; init; }

    /// <summary>A host name (without port).</summary>
    public string? Host { get; init; }

    /// <summary>HTTP methods; empty means any.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Headers that must be present with these exact values.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
