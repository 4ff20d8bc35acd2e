using System.Globalization;
using Cutover.Core.Comparison;
using Cutover.Kernel.Comparison;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>compare</c> section and builds the <see cref="ResponseRules"/> shadow
/// answers are compared by; a JSON path that does not parse is reported rather than never matching.
/// </summary>
internal static class CompareValidator
{
    /// <summary>Validates <paramref name="compare"/>; <paramref name="fail"/> gets (key, message), all on the section's line.</summary>
    public static ResponseRules Validate(CompareConfig compare, Action<string, string> fail)
    {
        var tolerance = compare.NumericTolerance ?? 0;
        if (tolerance < 0)
        {
            fail("compare.numericTolerance", string.Create(CultureInfo.InvariantCulture, $"{tolerance} is negative; use 0 to compare numbers exactly, or the largest difference to accept (e.g. 0.001)"));
        }

        var headers = compare.Headers ?? ResponseRules.Default.Headers;
        foreach (var name in headers.Where(h => !ValueRules.IsHeaderName(h)))
        {
            fail("compare.headers", $"'{name}' is not a header name; use letters, digits and dashes (e.g. Content-Type)");
        }

        var rules = new ComparisonRules(Paths(compare.Ignore, "compare.ignore", fail), Math.Max(0, tolerance), Paths(compare.UnorderedArrays, "compare.unorderedArrays", fail));
        return new ResponseRules(rules, headers.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), compare.NormalizeWhitespace ?? false);
    }

    private static List<JsonPathPattern> Paths(IReadOnlyList<string> texts, string key, Action<string, string> fail)
    {
        var patterns = new List<JsonPathPattern>();
        foreach (var text in texts)
        {
            if (JsonPathPattern.TryParse(text, out var pattern, out var error))
            {
                patterns.Add(pattern!);
            }
            else
            {
                fail(key, $"'{text}' is not a JSON path: {error}; use {JsonPathPattern.AllowedForms}");
            }
        }

        return patterns;
    }
}
