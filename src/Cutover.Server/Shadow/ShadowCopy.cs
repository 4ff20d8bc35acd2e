using System.Diagnostics;
using System.Runtime.InteropServices;
using Cutover.Core.Comparison;
using Cutover.Core.Routing;

namespace Cutover.Server.Shadow;

/// <summary>
/// A request served by legacy, kept so it can be sent again to the candidate off the request
/// path: what was asked, and what legacy answered.
/// </summary>
/// <param name="Migration">The model the request was routed by.</param>
/// <param name="Endpoint">The endpoint the request belongs to, such as <c>GET /orders/{id}</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The path and query, as sent to legacy.</param>
/// <param name="Headers">The request headers to send again, hop-by-hop ones left out.</param>
/// <param name="Body">The request body, buffered.</param>
/// <param name="Legacy">Legacy's answer, as the user got it.</param>
/// <param name="LegacyLatency">How long legacy took.</param>
/// <param name="Time">When the request arrived.</param>
/// <param name="Trace">The request's activity, so the copy is traced as its child; default when the request was not traced.</param>
internal sealed record ShadowCopy(
    MigrationModel Migration,
    string Endpoint,
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string[]>> Headers,
    ReadOnlyMemory<byte> Body,
    CapturedResponse Legacy,
    TimeSpan LegacyLatency,
    DateTimeOffset Time,
    ActivityContext Trace)
{
    /// <summary>The path of a gRPC call (<c>/shop.v1.Orders/GetOrder</c>), which names the type its messages decode as; null for other requests.</summary>
    public string? GrpcMethod { get; } = Legacy.IsGrpc ? Target.Split('?')[0] : null;

    /// <summary>What one header or object costs beyond its text: references, lengths, object headers.</summary>
    private const int Overhead = 64;

    /// <summary>
    /// About the bytes this copy keeps alive while it waits and is sent: the whole buffers behind
    /// its body and legacy's captured answer (as allocated, not only the part used) and its
    /// headers. The shadow queue's byte budgets are charged this.
    /// </summary>
    public long Bytes { get; } = BufferOf(Body) + BufferOf(Legacy.Body) + Target.Length * 2L + Overhead * 4
        + Headers.Sum(h => (h.Key.Length + h.Value.Sum(v => v?.Length ?? 0)) * 2L + Overhead)
        + Legacy.Headers.Sum(h => (h.Key.Length + h.Value.Length) * 2L + Overhead);

    private static long BufferOf(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Array is { } array ? array.Length : bytes.Length;
}
