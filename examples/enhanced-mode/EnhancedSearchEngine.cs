namespace EnhancedSearch;

/// <summary>
/// Version 2, the enhanced search: a query also finds its synonyms ("couch" finds sofas), results
/// are ranked by how often shoppers searched for them (the popularity it keeps in its own data
/// file), and the answer adds the categories as facets. Its answers differ from legacy's on purpose.
/// </summary>
internal sealed class EnhancedSearchEngine(Popularity popularity)
{
    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["couch"] = ["sofa"], ["sofa"] = ["couch"], ["carpet"] = ["rug"], ["rug"] = ["carpet"],
        ["light"] = ["lamp", "lantern"], ["seat"] = ["chair", "stool", "bench"], ["cupboard"] = ["cabinet", "wardrobe"],
    };

    /// <summary>The answer to <c>GET /search?q=QUERY</c>; counts the query towards its popularity.</summary>
    public object Answer(string query)
    {
        popularity.Count(query);
        var terms = new[] { query }.Concat(Synonyms.GetValueOrDefault(query, [])).ToList();
        var found = Catalog.Products.Where(p => terms.Any(t => p.Name.Contains(t, StringComparison.OrdinalIgnoreCase))).ToList();
        return new
        {
            query,
            expandedTo = terms,
            results = found.OrderByDescending(p => popularity.Of(p.Name)).ThenBy(p => p.Id, StringComparer.Ordinal).Take(10).ToList(),
            facets = found.GroupBy(p => p.Category).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        };
    }
}
