using System.Globalization;
using Cutover.Core.Comparison;
using Cutover.Core.Grpc;
using Cutover.Kernel.Comparison;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a migration's <c>compare</c> section and builds the <see cref="ResponseRules"/> shadow
/// answers are compared by; a JSON path that does not parse is reported rather than never matching.
/// </summary>
internal static class CompareValidator
{
    /// <summary>
    /// Validates <paramref name="compare"/>, reading a descriptor set from <paramref name="folder"/>
    /// (the current folder when null); <paramref name="fail"/> gets (key, message), all on the section's line.
    /// </summary>
    public static ResponseRules Validate(CompareConfig compare, string? folder, Action<string, string> fail)
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
        return new ResponseRules(rules, headers.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), compare.NormalizeWhitespace ?? false)
        {
            Descriptors = compare.DescriptorSet is { } path ? Descriptors(path, folder, fail) : null,
        };
    }

    /// <summary>Reads the descriptor set now, so <c>validate</c> reports a file that would leave every message compared by its bytes.</summary>
    private static DescriptorSet? Descriptors(string path, string? folder, Action<string, string> fail)
    {
        const string Fix = "write it with protoc --descriptor_set_out=FILE --include_imports, and give its path relative to the config file";
        if (string.IsNullOrWhiteSpace(path))
        {
            fail("compare.descriptorSet", $"is empty; {Fix}, or leave the key out to compare gRPC messages by their bytes");
            return null;
        }

        var full = Path.GetFullPath(path.Trim(), folder ?? Directory.GetCurrentDirectory());
        byte[] bytes;
        try
        {
            var info = new FileInfo(full);
            if (info.Exists && info.Length > DescriptorSet.MaxFileBytes)
            {
                fail("compare.descriptorSet", string.Create(CultureInfo.InvariantCulture, $"'{path}' is {info.Length} bytes, more than the {DescriptorSet.MaxFileBytes} a descriptor set may be; write one of the services this migration serves only"));
                return null;
            }

            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fail("compare.descriptorSet", $"'{path}' cannot be read ({full}: {e.Message}); {Fix}");
            return null;
        }

        try
        {
            var set = DescriptorSet.Parse(bytes, path.Trim());
            if (set.MethodCount == 0)
            {
                fail("compare.descriptorSet", $"'{path}' declares no service, so no call could be decoded; {Fix} from the .proto files with the service");
                return null;
            }

            return set;
        }
        catch (ProtobufFormatException e)
        {
            fail("compare.descriptorSet", $"'{path}' {e.Message}; {Fix}");
            return null;
        }
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
