using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Core.Comparison;

namespace Cutover.Core.Shadow;

/// <summary>
/// What never reaches the store: credentials in headers, and the JSON fields a migration names
/// (by property name at any depth, or by path). Every sample and every difference passes through
/// here before it is kept, so evidence can be shown to people who must not see user secrets.
/// </summary>
public sealed class Redaction
{
    /// <summary>What a redacted value is replaced with.</summary>
    public const string Mask = "[redacted]";

    private static readonly string[] AlwaysRedactedHeaders = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"];

    private readonly HashSet<string> _headers;
    private readonly HashSet<string> _fieldNames;
    private readonly IReadOnlyList<JsonPathPattern> _fieldPaths;

    /// <summary>Redacts the headers that always carry credentials, plus <paramref name="headers"/>, and the fields named.</summary>
    public Redaction(IEnumerable<string> headers, IEnumerable<string> fieldNames, IEnumerable<JsonPathPattern> fieldPaths)
    {
        _headers = new HashSet<string>(AlwaysRedactedHeaders.Concat(headers), StringComparer.OrdinalIgnoreCase);
        _fieldNames = new HashSet<string>(fieldNames, StringComparer.Ordinal);
        _fieldPaths = fieldPaths.ToList();
    }

    /// <summary>Only the credential headers.</summary>
    public static Redaction Default { get; } = new([], [], []);

    /// <summary>Every header name redacted, for display.</summary>
    public IReadOnlyCollection<string> HeaderNames => _headers;

    /// <summary>The JSON property names redacted at any depth; with <see cref="FieldPaths"/>, what tells two redactions apart (<see cref="Configuration.CanonicalText"/>).</summary>
    public IReadOnlyCollection<string> FieldNames => _fieldNames;

    /// <summary>The JSON paths redacted.</summary>
    public IReadOnlyList<JsonPathPattern> FieldPaths => _fieldPaths;

    /// <summary>Whether no JSON field is named, so bodies can be kept as they are.</summary>
    private bool NoFields => _fieldNames.Count == 0 && _fieldPaths.Count == 0;

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

    /// <summary>A request target with the values of query parameters named as fields masked.</summary>
    public string Target(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (question < 0 || _fieldNames.Count == 0)
        {
            return pathAndQuery;
        }

        var pairs = pathAndQuery[(question + 1)..].Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            return equals >= 0 && _fieldNames.Contains(name) ? pair[..(equals + 1)] + Uri.EscapeDataString(Mask) : pair;
        });
        return pathAndQuery[..(question + 1)] + string.Join('&', pairs);
    }

    /// <summary>
    /// A body as kept in a sample: JSON with the named fields masked, other text as it is, binary
    /// as its length and hash; cut at <see cref="DivergenceLimits.SampleBodyBytes"/>. When fields
    /// are named but the body cannot be parsed (cut, or not JSON after all), it is withheld rather
    /// than risk keeping a secret.
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
            return ($"[{body.Length}{(truncated ? "+" : string.Empty)} bytes of {(mediaType.Length == 0 ? "unknown type" : mediaType)}, sha256 {Convert.ToHexStringLower(SHA256.HashData(body.Span))[..16]}]", truncated);
        }

        string text;
        if (NoFields)
        {
            text = Encoding.UTF8.GetString(body.Span);
        }
        else if (!truncated && RedactJson(body) is { } redacted)
        {
            text = redacted;
        }
        else
        {
            return ($"[{body.Length}{(truncated ? "+" : string.Empty)} bytes withheld: fields are redacted on this migration and this body could not be read as whole JSON]", truncated);
        }

        return text.Length <= DivergenceLimits.SampleBodyBytes ? (text, truncated) : (text[..DivergenceLimits.SampleBodyBytes], true);
    }

    /// <summary>A difference with both values masked when its path is a redacted field or header.</summary>
    public Difference Difference(Difference difference)
    {
        ArgumentNullException.ThrowIfNull(difference);
        var sensitive = difference.Path.StartsWith("header:", StringComparison.Ordinal)
            ? IsSensitiveHeader(difference.Path["header:".Length..])
            : !NoFields && (difference.Path == "body" || (JsonPathPattern.TryParse(difference.Path, out var path, out _) && IsRedacted(path!.Segments)));
        return sensitive
            ? difference with { Legacy = difference.Legacy is null ? null : Mask, Candidate = difference.Candidate is null ? null : Mask }
            : difference;
    }

    private bool IsRedacted(IReadOnlyList<PathSegment> path) =>
        path.Any(s => s.Kind == PathSegmentKind.Property && _fieldNames.Contains(s.Name!)) || _fieldPaths.Any(p => p.MatchesAncestorOf(path));

    private string? RedactJson(ReadOnlyMemory<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return null;
        }

        MaskFields(root, []);
        return root?.ToJsonString() ?? "null";
    }

    private void MaskFields(JsonNode? node, List<PathSegment> path)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Select(p => p.Key).ToList())
            {
                path.Add(PathSegment.Property(name));
                Replace(obj[name], path, masked => obj[name] = masked);
                path.RemoveAt(path.Count - 1);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                path.Add(PathSegment.Element(i));
                var index = i;
                Replace(array[i], path, masked => array[index] = masked);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private void Replace(JsonNode? child, List<PathSegment> path, Action<JsonNode> set)
    {
        if (IsRedacted(path))
        {
            set(JsonValue.Create(Mask));
        }
        else
        {
            MaskFields(child, path);
        }
    }

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("json", StringComparison.Ordinal)
        || mediaType.EndsWith("xml", StringComparison.Ordinal) || mediaType is "application/javascript" or "application/x-www-form-urlencoded";
}
