namespace Cutover.Core.Configuration;

/// <summary>Which requests belong to a migration; at least a path prefix or a host.</summary>
public sealed record MatchConfig
{
    /// <summary>A path prefix, matched on segment boundaries; "/" matches everything.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>A host name (without port).</summary>
    public string? Host { get; init; }

    /// <summary>HTTP methods; empty means any.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Headers that must be present with these exact values.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
