namespace EnhancedSearch;

/// <summary>One product of the catalogue, as both versions answer it.</summary>
/// <param name="Id">The product's id, p001 … p200.</param>
/// <param name="Name">What shoppers search for, e.g. "oak sofa".</param>
/// <param name="Category">Its facet in the enhanced search.</param>
/// <param name="Price">Its price in euros.</param>
internal sealed record Product(string Id, string Name, string Category, int Price);
