namespace Cutover.Kernel.Comparison;

/// <summary>The outcome of comparing two JSON answers.</summary>
/// <param name="Differences">The differences found, at most <see cref="ComparisonRules.MaxDifferences"/>, in document order.</param>
/// <param name="Total">How many differences there were in all, listed or not.</param>
public sealed record JsonComparison(IReadOnlyList<Difference> Differences, int Total)
{
    /// <summary>Whether the answers are equal under the rules.</summary>
    public bool IsEqual => Total == 0;
}
