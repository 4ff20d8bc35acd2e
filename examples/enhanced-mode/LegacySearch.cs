namespace EnhancedSearch;

/// <summary>Version 1: every product whose name holds the query, in catalogue order, ten at most. What the shop has today.</summary>
internal static class LegacySearch
{
    /// <summary>The answer to <c>GET /search?q=QUERY</c>.</summary>
    public static object Answer(string query) => new
    {
        query,
        results = Catalog.Products.Where(p => p.Name.Contains(query, StringComparison.OrdinalIgnoreCase)).Take(10).ToList(),
    };
}
