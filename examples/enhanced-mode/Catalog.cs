namespace EnhancedSearch;

/// <summary>The shop's 200 products, the same in both versions: the legacy search's data, which the enhanced one reads as it is.</summary>
internal static class Catalog
{
    private static readonly string[] Colours = ["red", "blue", "green", "black", "white", "grey", "oak", "walnut"];
    private static readonly (string Noun, string Category)[] Kinds =
    [
        ("sofa", "seating"), ("armchair", "seating"), ("stool", "seating"), ("chair", "seating"), ("bench", "seating"),
        ("lamp", "lighting"), ("lantern", "lighting"), ("rug", "textiles"), ("cushion", "textiles"), ("throw", "textiles"),
        ("table", "tables"), ("desk", "tables"), ("shelf", "storage"), ("wardrobe", "storage"), ("cabinet", "storage"),
        ("mirror", "decor"), ("vase", "decor"), ("clock", "decor"), ("frame", "decor"), ("planter", "decor"),
        ("bed", "bedroom"), ("mattress", "bedroom"), ("nightstand", "bedroom"), ("dresser", "bedroom"), ("crib", "bedroom"),
    ];

    /// <summary>Every product, by id (p001 … p200).</summary>
    public static IReadOnlyList<Product> Products { get; } =
    [
        .. Enumerable.Range(0, 200).Select(i =>
        {
            var (noun, category) = Kinds[i % Kinds.Length];
            var colour = Colours[i / Kinds.Length % Colours.Length];
            return new Product($"p{i + 1:000}", $"{colour} {noun}", category, 19 + (i * 37 % 480));
        }),
    ];
}
