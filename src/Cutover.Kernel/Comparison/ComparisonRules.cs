namespace Cutover.Kernel.Comparison;

/// <summary>
/// How two JSON answers are compared: paths to ignore (known noise such as request ids), a
/// numeric tolerance, and arrays whose order carries no meaning.
/// </summary>
/// <param name="Ignore">Paths whose values, and everything under them, are not compared.</param>
/// <param name="NumericTolerance">Numbers this close or closer are equal. 0 compares exactly.</param>
/// <param name="UnorderedArrays">Arrays compared as multisets: the same elements in any order are equal.</param>
public sealed record ComparisonRules(
    IReadOnlyList<JsonPathPattern> Ignore,
    double NumericTolerance,
    IReadOnlyList<JsonPathPattern> UnorderedArrays)
{
    /// <summary>Exact comparison: nothing ignored, no tolerance, every array ordered.</summary>
    public static ComparisonRules Exact { get; } = new([], 0, []);

    /// <summary>At most this many differences are listed for one pair; the rest are counted.</summary>
    public int MaxDifferences { get; init; } = 100;
}
