using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Kernel.Comparison;

namespace Cutover.Kernel.Shadow;

/// <summary>
/// What never reaches the store: credentials in headers, query parameters and bodies. The names in
/// <see cref="RedactedByDefault"/> are always redacted, plus the headers and JSON fields a
/// migration names (by property name at any depth, or by path); names match ignoring case, paths
/// exactly. Every sample and every difference passes through here before it is kept, so evidence
/// can be shown to people who must not see user secrets.
/// </summary>
public sealed class Redaction
{
    /// <summary>What a redacted value is replaced with.</summary>
    public const string Mask = "[redacted]";

    private const string FormType = "application/x-www-form-urlencoded";

    private readonly HashSet<string> _headers;
    private readonly HashSet<string> _fieldNames;
    private readonly IReadOnlyList<JsonPathPattern> _fieldPaths;

    // Fields named beyond the defaults could sit anywhere in a text that cannot be read field by
    // field (a cut body, CSV, XML), even where their name is not written, so such text is withheld whole.
    private readonly bool _namesFieldsOfItsOwn;

    /// <summary>Redacts the <see cref="RedactedByDefault"/> headers and fields, plus <paramref name="headers"/> and the fields named.</summary>
    public Redaction(IEnumerable<string> headers, IEnumerable<string> fieldNames, IEnumerable<JsonPathPattern> fieldPaths)
    {
        var ownNames = fieldNames.ToList();
        _headers = new HashSet<string>(RedactedByDefault.Headers.Concat(headers), StringComparer.OrdinalIgnoreCase);
        _fieldNames = new HashSet<string>(RedactedByDefault.Fields.Concat(ownNames), StringComparer.OrdinalIgnoreCase);
        _fieldPaths = fieldPaths.ToList();
        _namesFieldsOfItsOwn = ownNames.Count > 0 || _fieldPaths.Count > 0;
    }

    /// <summary>Only the <see cref="RedactedByDefault"/> headers and fields.</summary>
    public static Redaction Default { get; } = new([], [], []);

    /// <summary>Every header name redacted, for display.</summary>
    public IReadOnlyCollection<string> HeaderNames => _headers;

    /// <summary>The property names redacted at any depth (and as query parameters); with <see cref="FieldPaths"/>, what tells two redactions apart (the config's canonical text).</summary>
    public IReadOnlyCollection<string> FieldNames => _fieldNames;

    /// <summary>The JSON paths redacted.</summary>
    public IReadOnlyList<JsonPathPattern> FieldPaths => _fieldPaths;

    /// <summary>Whether a header's value is kept out of evidence.</summary>
    public bool IsSensitiveHeader(string name) => _headers.Contains(name);

    /// <summary>Headers with the sensitive values masked.</summary>
    public IReadOnlyDictionary<string, string> Headers(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var result = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            result[name] = IsSensitiveHeader(name) ? Mask : value;
        }

        return result;
    }

    /// <summary>A request target with the values of query parameters named as fields masked (<c>/login?token=[redacted]&amp;page=2</c>).</summary>
    public string Target(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? pathAndQuery : pathAndQuery[..(question + 1)] + MaskPairs(pathAndQuery[(question + 1)..]);
    }

    /// <summary>
    /// A body as kept in a sample, cut at <see cref="DivergenceLimits.SampleBodyBytes"/>: JSON with
    /// the redacted fields masked, a form with its redacted fields masked, binary as its length and
    /// hash, other text as it is. Text that cannot be read field by field (cut, not JSON) is withheld
    /// rather than risk keeping a secret when the migration names fields of its own, or when it
    /// mentions one of the redacted names.
    /// </summary>
    public (string Text, bool Truncated) Body(ReadOnlyMemory<byte> body, string mediaType, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        if (body.IsEmpty)
        {
            return (string.Empty, truncated);
        }

        if (!IsText(mediaType))
        {
            return ($"[{Size(body, truncated)} bytes of {(mediaType.Length == 0 ? "unknown type" : mediaType)}, sha256 {Convert.ToHexStringLower(SHA256.HashData(body.Span))[..16]}]", truncated);
        }

        var text = Encoding.UTF8.GetString(body.Span);
        var kept = truncated ? null : MaskJson(text, []) ?? (mediaType == FormType ? MaskPairs(text) : null);
        if (kept is null && Withholds(text) is { } why)
        {
            return ($"[{Size(body, truncated)} bytes withheld: {why}]", truncated);
        }

        kept ??= text;
        return kept.Length <= DivergenceLimits.SampleBodyBytes ? (kept, truncated) : (kept[..DivergenceLimits.SampleBodyBytes], true);
    }

    /// <summary>
    /// A difference with both values masked when its path is a redacted field or header, or a whole
    /// body that could hold a secret; a JSON value under another path keeps its shape with the
    /// redacted fields inside it masked.
    /// </summary>
    public Difference Difference(Difference difference)
    {
        ArgumentNullException.ThrowIfNull(difference);
        if (difference.Path.StartsWith("header:", StringComparison.Ordinal))
        {
            return IsSensitiveHeader(difference.Path["header:".Length..]) ? Masked(difference) : difference;
        }

        if (difference.Path == "body")
        {
            return Withholds(difference.Legacy) is null && Withholds(difference.Candidate) is null ? difference : Masked(difference);
        }

        if (!JsonPathPattern.TryParse(difference.Path, out var path, out _))
        {
            return difference;
        }

        return IsRedacted(path!.Segments)
            ? Masked(difference)
            : difference with { Legacy = Value(difference.Legacy, path.Segments), Candidate = Value(difference.Candidate, path.Segments) };
    }

    private static Difference Masked(Difference difference) =>
        difference with { Legacy = difference.Legacy is null ? null : Mask, Candidate = difference.Candidate is null ? null : Mask };

    /// <summary>A difference's value (JSON text, maybe shortened) at <paramref name="at"/>, with the redacted fields inside it masked.</summary>
    private string? Value(string? value, IReadOnlyList<PathSegment> at) =>
        value is null ? null : MaskJson(value, at) ?? (Withholds(value) is null ? value : Mask);

    /// <summary>Why a text that could not be read field by field must not be kept, or null when it may.</summary>
    private string? Withholds(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (_namesFieldsOfItsOwn)
        {
            return "fields are redacted on this migration and this body could not be read as whole JSON";
        }

        return _fieldNames.FirstOrDefault(name => text.Contains(name, StringComparison.OrdinalIgnoreCase)) is { } mentioned
            ? $"it mentions '{mentioned}', which is redacted, and could not be read as whole JSON or a form"
            : null;
    }

    private bool IsRedacted(IReadOnlyList<PathSegment> path) =>
        path.Any(s => s.Kind == PathSegmentKind.Property && _fieldNames.Contains(s.Name!)) || _fieldPaths.Any(p => p.MatchesAncestorOf(path));

    /// <summary>
    /// <c>name=value&amp;...</c> (a query or a form body) with the values of redacted names masked;
    /// names are compared decoded, so <c>access%5Ftoken</c> is <c>access_token</c>.
    /// </summary>
    private string MaskPairs(string pairs) => string.Join('&', pairs.Split('&').Select(pair =>
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return equals >= 0 && _fieldNames.Contains(Uri.UnescapeDataString(pair[..equals].Replace('+', ' '))) ? pair[..(equals + 1)] + Mask : pair;
    }));

    /// <summary>
    /// JSON text found at <paramref name="at"/> with the redacted fields masked; the text as it is when
    /// nothing was masked (so its formatting is kept), null when it is not JSON.
    /// </summary>
    private string? MaskJson(string text, IReadOnlyList<PathSegment> at)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }

        return MaskFields(root, at.ToList()) ? root!.ToJsonString() : text;
    }

    /// <summary>Masks the redacted fields under <paramref name="node"/>, found at <paramref name="path"/>; true when any was.</summary>
    private bool MaskFields(JsonNode? node, List<PathSegment> path)
    {
        var masked = false;
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Select(p => p.Key).ToList())
            {
                path.Add(PathSegment.Property(name));
                masked |= Replace(obj[name], path, value => obj[name] = value);
                path.RemoveAt(path.Count - 1);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                path.Add(PathSegment.Element(i));
                var index = i;
                masked |= Replace(array[i], path, value => array[index] = value);
                path.RemoveAt(path.Count - 1);
            }
        }

        return masked;
    }

    private bool Replace(JsonNode? child, List<PathSegment> path, Action<JsonNode> set)
    {
        if (IsRedacted(path))
        {
            set(JsonValue.Create(Mask));
            return true;
        }

        return MaskFields(child, path);
    }

    private static string Size(ReadOnlyMemory<byte> body, bool truncated) => $"{body.Length}{(truncated ? "+" : string.Empty)}";

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("json", StringComparison.Ordinal)
        || mediaType.EndsWith("xml", StringComparison.Ordinal) || mediaType is "application/javascript" or FormType;
}
