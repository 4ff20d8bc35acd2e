using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cutover.Core.Grpc;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Comparison;

/// <summary>
/// Compares two captured answers: the status, the chosen headers, and the body by its content
/// type — JSON structurally (<see cref="JsonComparer"/>), text exactly or with white space
/// normalised, anything else by length and SHA-256. Paths name where: <c>status</c>,
/// <c>header:Content-Type</c>, <c>body</c>, or a JSON path such as <c>$.items[0].id</c>.
/// Two gRPC answers are compared on their <c>grpc-status</c>, the chosen metadata (headers or
/// trailers) and the message: decoded to JSON by the call's output type when the rules hold a
/// descriptor set that declares it, else by its bytes.
/// </summary>
public static class ResponseComparer
{
    /// <summary>The path a difference of gRPC status is reported under.</summary>
    public const string GrpcStatusPath = "grpc-status";

    /// <summary>Compares legacy's answer with the candidate's; <paramref name="grpcMethod"/> is a gRPC call's path (<c>/shop.v1.Orders/GetOrder</c>), which names the type its message is decoded as.</summary>
    public static JsonComparison Compare(CapturedResponse legacy, CapturedResponse candidate, ResponseRules rules, string? grpcMethod = null)
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

        var grpc = legacy.IsGrpc && candidate.IsGrpc;
        if (grpc && !rules.IgnoreStatus && legacy.GrpcStatus != candidate.GrpcStatus)
        {
            Add(new Difference(GrpcStatusPath, DifferenceKind.ValueChanged, GrpcStatusCodes.Name(legacy.GrpcStatus), GrpcStatusCodes.Name(candidate.GrpcStatus)));
        }

        foreach (var name in rules.Headers)
        {
            var left = legacy.MetadataValue(name);
            var right = candidate.MetadataValue(name);
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
        else if (grpc && DecodedMessages(legacy, candidate, rules, grpcMethod) is var (decodedLeft, decodedRight))
        {
            using (decodedLeft)
            using (decodedRight)
            {
                var json = JsonComparer.Compare(decodedLeft.RootElement, decodedRight.RootElement, rules.Json with { MaxDifferences = Math.Max(0, rules.Json.MaxDifferences - differences.Count) });
                differences.AddRange(json.Differences);
                total += json.Total;
            }
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

    /// <summary>
    /// Both answers' one message as JSON, when the descriptor set declares the call and both decode;
    /// null leaves them to be compared by their bytes (no set, a streamed or compressed answer, bytes of another type).
    /// </summary>
    private static (JsonDocument Legacy, JsonDocument Candidate)? DecodedMessages(CapturedResponse legacy, CapturedResponse candidate, ResponseRules rules, string? method)
    {
        if (rules.Descriptors is not { } descriptors || method is null
            || !GrpcContent.TrySingle(legacy.Body, out var left, out var leftCompressed) || !GrpcContent.TrySingle(candidate.Body, out var right, out var rightCompressed)
            || leftCompressed || rightCompressed)
        {
            return null;
        }

        try
        {
            return descriptors.DecodeResponse(method, left.Span) is { } leftJson && descriptors.DecodeResponse(method, right.Span) is { } rightJson
                ? (JsonDocument.Parse(leftJson), JsonDocument.Parse(rightJson))
                : null;
        }
        catch (ProtobufFormatException)
        {
            return null;
        }
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
