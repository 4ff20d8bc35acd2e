using Cutover.Core.Grpc;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Comparison;

/// <summary>An answer as captured for comparison: status, headers, trailers and the body (possibly cut at a size limit).</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Headers">Response headers; names compare case-insensitively.</param>
/// <param name="Body">The body bytes captured.</param>
/// <param name="Truncated">Whether the body was longer than the capture limit and was cut.</param>
public sealed record CapturedResponse(int Status, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body, bool Truncated = false)
{
    /// <summary>The trailers sent after the body (a gRPC call's status and metadata); names compare case-insensitively.</summary>
    public IReadOnlyDictionary<string, string> Trailers { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the answer is a gRPC call's (content type <c>application/grpc</c> or a variant).</summary>
    public bool IsGrpc => GrpcContent.IsGrpc(HeaderValue("Content-Type"));

    /// <summary>
    /// A gRPC answer's status, from the trailers or, in a trailers-only answer, the headers; a gRPC
    /// answer without one is INTERNAL, as gRPC clients take it.
    /// </summary>
    public int GrpcStatus => GrpcStatusCodes.FromHeader(Value(Trailers, "grpc-status") ?? HeaderValue("grpc-status")) ?? GrpcStatusCodes.Internal;

    /// <summary>A header's or, when no header has the name, a trailer's value: where gRPC metadata comes depends on the answer.</summary>
    public string? MetadataValue(string name) => HeaderValue(name) ?? Value(Trailers, name);

    /// <summary>The media type from Content-Type, lower-case, without parameters; empty when absent.</summary>
    public string MediaType => HeaderValue("Content-Type") is { } value ? value.Split(';')[0].Trim().ToLowerInvariant() : string.Empty;

    /// <summary>A header's value by name in any case, or null.</summary>
    public string? HeaderValue(string name) => Value(Headers, name);

    private static string? Value(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, candidate) in headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }
}
