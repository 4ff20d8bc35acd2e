using Cutover.Core.Comparison;
using Cutover.Core.Grpc;
using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Server.Shadow;

/// <summary>
/// Turns a divergent pair into the evidence kept in the store, redacted by the migration's rules.
/// A gRPC call's messages are kept decoded, as the JSON they were compared as, when the
/// migration's descriptor set declares the call; otherwise as the description of their bytes.
/// </summary>
internal static class SampleBuilder
{
    private const string Json = "application/json";

    public static DivergenceSample Build(ShadowCopy copy, CapturedResponse candidate, TimeSpan candidateLatency, JsonComparison comparison, string endpoint, string path)
    {
        var redaction = copy.Migration.Shadow.Redaction;
        var requestHeaders = copy.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))).ToList();
        var requestType = requestHeaders.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
        var descriptors = copy.Migration.Compare.Descriptors;
        var (body, bodyCut) = Decoded(copy.GrpcMethod, copy.Body, descriptors, response: false) is { } request
            ? redaction.Body(request, Json, truncated: false)
            : redaction.Body(copy.Body, MediaType(requestType), truncated: false);
        return new DivergenceSample(
            0,
            endpoint,
            path,
            copy.Time,
            new SampleRequest(copy.Method, redaction.Target(copy.Target), redaction.Headers(requestHeaders), body, bodyCut),
            Response(copy.Legacy, copy.LegacyLatency, redaction, copy.GrpcMethod, descriptors),
            Response(candidate, candidateLatency, redaction, copy.GrpcMethod, descriptors),
            comparison.Differences.Select(redaction.Difference).ToList(),
            comparison.Total);
    }

    private static SampleResponse Response(CapturedResponse response, TimeSpan latency, Redaction redaction, string? method, DescriptorSet? descriptors)
    {
        var (body, cut) = !response.Truncated && Decoded(method, response.Body, descriptors, response: true) is { } decoded
            ? redaction.Body(decoded, Json, truncated: false)
            : redaction.Body(response.Body, response.MediaType, response.Truncated);

        // Trailers (a gRPC call's status and metadata) are shown with the headers, as the comparison reads them.
        var headers = response.Headers.Concat(response.Trailers.Where(t => !response.Headers.ContainsKey(t.Key)));
        return new SampleResponse(response.Status, redaction.Headers(headers), body, cut, Math.Round(latency.TotalMilliseconds, 3));
    }

    /// <summary>A gRPC body's one message as JSON, or null when it is not one the descriptor set declares and can decode.</summary>
    private static byte[]? Decoded(string? method, ReadOnlyMemory<byte> body, DescriptorSet? descriptors, bool response)
    {
        if (method is null || descriptors is null || !GrpcContent.TrySingle(body, out var message, out var compressed) || compressed)
        {
            return null;
        }

        try
        {
            return response ? descriptors.DecodeResponse(method, message.Span) : descriptors.DecodeRequest(method, message.Span);
        }
        catch (ProtobufFormatException)
        {
            return null;
        }
    }

    private static string MediaType(string contentType) => contentType.Split(';')[0].Trim().ToLowerInvariant();
}
