using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cutover.Kernel.Comparison;

namespace Cutover.Core.Comparison;

/// <summary>
/// Compares two captured answers: the status, the chosen headers, and the body by its content
/// type — JSON structurally (<see cref="JsonComparer"/>), text exactly or with white space
/// normalised, anything else by length and SHA-256. Paths name where: <c>status</c>,
/// <c>header:Content-Type</c>, <c>body</c>, or a JSON path such as <c>$.items[0].id</c>.
/// </summary>
public static class ResponseComparer
{
    /// <summary>Compares legacy's answer with the candidate's.</summary>
    public static JsonComparison Compare(CapturedResponse legacy, CapturedResponse candidate, ResponseRules rules)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(rules);
        var differences = new List<Difference>();
        var total = 0;
        void Add(Difference difference)
        {
            total++;
            if (differences.Count < rules.Json.MaxDifferences)
            {
                differences.Add(difference);
            }
        }

        if (!rules.IgnoreStatus && legacy.Status != candidate.Status)
        {
            Add(new Difference("status", DifferenceKind.ValueChanged, Text(legacy.Status), Text(candidate.Status)));
        }

        foreach (var name in rules.Headers)
        {
            var left = legacy.HeaderValue(name);
            var right = candidate.HeaderValue(name);
            if (left != right)
            {
                var kind = left is null ? DifferenceKind.Added : right is null ? DifferenceKind.Missing : DifferenceKind.ValueChanged;
                Add(new Difference("header:" + name, kind, left, right));
            }
        }

        if (rules.IgnoreBody)
        {
            return new JsonComparison(differences, total);
        }

        if (legacy.Truncated || candidate.Truncated)
        {
            // A cut body cannot be compared fairly; its length and hash still tell a changed prefix.
            CompareBytes(legacy, candidate, Add);
        }
        else if (IsJson(legacy.MediaType) && IsJson(candidate.MediaType) && TryParse(legacy.Body, out var left) && TryParse(candidate.Body, out var right))
        {
            using (left)
            using (right)
            {
                var json = JsonComparer.Compare(left!.RootElement, right!.RootElement, rules.Json with { MaxDifferences = Math.Max(0, rules.Json.MaxDifferences - differences.Count) });
                differences.AddRange(json.Differences);
                total += json.Total;
            }
        }
        else if (IsText(legacy.MediaType) && IsText(candidate.MediaType))
        {
            var a = Encoding.UTF8.GetString(legacy.Body.Span);
            var b = Encoding.UTF8.GetString(candidate.Body.Span);
            if (rules.NormalizeWhitespace ? Normalize(a) != Normalize(b) : a != b)
            {
                Add(new Difference("body", DifferenceKind.ValueChanged, Shorten(a), Shorten(b)));
            }
        }
        else
        {
            CompareBytes(legacy, candidate, Add);
        }

        return new JsonComparison(differences, total);
    }

    private static void CompareBytes(CapturedResponse legacy, CapturedResponse candidate, Action<Difference> add)
    {
        if (!legacy.Body.Span.SequenceEqual(candidate.Body.Span))
        {
            add(new Difference("body", DifferenceKind.ValueChanged, Fingerprint(legacy), Fingerprint(candidate)));
        }
    }

    private static string Fingerprint(CapturedResponse response) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{response.Body.Length}{(response.Truncated ? "+" : string.Empty)} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(response.Body.Span))[..16]}");

    private static bool TryParse(ReadOnlyMemory<byte> body, out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || IsJson(mediaType)
        || mediaType is "application/xml" or "application/javascript" || mediaType.EndsWith("+xml", StringComparison.Ordinal);

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 199), "…");

    private static string Text(int status) => status.ToString(CultureInfo.InvariantCulture);
}
