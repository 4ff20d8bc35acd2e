using System.Text.Json;
using Cutover.Kernel.Comparison;

namespace Cutover.Client.Comparison;

/// <summary>
/// How the two sides' results of a migration are compared. The outcome has the proxy's shape (the
/// differences found and how many there were), so a code-level divergence is counted and sampled
/// like a proxied one; comparers that only tell equal from unequal report one difference and list none.
/// </summary>
/// <typeparam name="T">The result type of both sides.</typeparam>
public abstract class ResultComparison<T>
{
    private static readonly JsonComparison Equal = new([], 0);
    private static readonly JsonComparison Unequal = new([], 1);

    /// <summary><see cref="EqualityComparer{T}.Default"/>: <c>Equals</c>, which records and value types implement by value.</summary>
    public static ResultComparison<T> Default { get; } = new ByComparer(EqualityComparer<T>.Default);

    /// <summary>Compares with an equality comparer.</summary>
    public static ResultComparison<T> Using(IEqualityComparer<T> comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return new ByComparer(comparer);
    }

    /// <summary>Compares with a predicate that says whether two results are equal.</summary>
    public static ResultComparison<T> Using(Func<T, T, bool> equal)
    {
        ArgumentNullException.ThrowIfNull(equal);
        return new ByComparer(EqualityComparer<T>.Create((a, b) => equal(a!, b!)));
    }

    /// <summary>
    /// Serializes both results with System.Text.Json and compares the documents with the proxy's
    /// <see cref="JsonComparer"/>: keys in any order, numbers by value, the ignored paths skipped,
    /// and every differing path listed. <paramref name="serializer"/> defaults to
    /// <see cref="JsonSerializerOptions.Web"/> (camelCase), as the web JSON the proxy compares, so
    /// paths read <c>$.vat</c>; a sample shows the results written with the same options, so its
    /// field names match the paths.
    /// </summary>
    public static ResultComparison<T> Json(ComparisonRules? rules = null, JsonSerializerOptions? serializer = null) =>
        new AsJson(rules ?? ComparisonRules.Exact, serializer ?? JsonSerializerOptions.Web);

    /// <summary>Compares legacy's result with the candidate's.</summary>
    public abstract JsonComparison Compare(T legacy, T candidate);

    /// <summary>A result as a divergence sample shows it when the call has no <see cref="Running.RunOptions{T}.Render"/>.</summary>
    internal virtual string Text(T value) => ResultText.Of(value);

    private sealed class ByComparer(IEqualityComparer<T> comparer) : ResultComparison<T>
    {
        public override JsonComparison Compare(T legacy, T candidate) => comparer.Equals(legacy, candidate) ? Equal : Unequal;
    }

    private sealed class AsJson(ComparisonRules rules, JsonSerializerOptions serializer) : ResultComparison<T>
    {
        public override JsonComparison Compare(T legacy, T candidate) =>
            JsonComparer.Compare(JsonSerializer.SerializeToElement(legacy, serializer), JsonSerializer.SerializeToElement(candidate, serializer), rules);

        internal override string Text(T value) => ResultText.Of(value, serializer);
    }
}
