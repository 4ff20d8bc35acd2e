using Cutover.Kernel.Comparison;

namespace Cutover.Client.Comparison;

/// <summary>
/// The proxy's <c>compare</c> rules for results compared as JSON, written as in cutover.yaml, so
/// a code-level migration ignores the same noise (timestamps, ids) in the same words.
/// </summary>
public sealed class JsonComparisonOptions
{
    /// <summary>Paths whose values are not compared, such as <c>$.computedAt</c> or <c>$.lines[*].id</c>.</summary>
    public IList<string> Ignore { get; } = [];

    /// <summary>Numbers this close are equal; 0 compares exactly.</summary>
    public double NumericTolerance { get; set; }

    /// <summary>Arrays compared as multisets: the same elements in any order are equal.</summary>
    public IList<string> UnorderedArrays { get; } = [];

    /// <summary>The rules these options describe; <paramref name="where"/> names them in errors.</summary>
    /// <exception cref="ArgumentException">A path is not a JSON path, or the tolerance is negative; the message names the option and the fix.</exception>
    public ComparisonRules ToRules(string where)
    {
        if (NumericTolerance < 0 || double.IsNaN(NumericTolerance))
        {
            throw new ArgumentException($"{where}:NumericTolerance is {NumericTolerance}: it must be 0 or more.");
        }

        return new ComparisonRules(Paths(Ignore, $"{where}:Ignore"), NumericTolerance, Paths(UnorderedArrays, $"{where}:UnorderedArrays"));
    }

    private static List<JsonPathPattern> Paths(IList<string> texts, string where) =>
        texts.Select((text, i) => JsonPathPattern.TryParse(text, out var pattern, out var error)
            ? pattern!
            : throw new ArgumentException($"{where}[{i}] '{text}' is not a JSON path: {error}; write {JsonPathPattern.AllowedForms}.")).ToList();
}
