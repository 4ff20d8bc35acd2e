using Cutover.Core.Grpc;
using Cutover.Kernel.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cutover.Server.Forwarding;

/// <summary>
/// The gRPC status of an answer forwarded to the user: its HTTP status is 200 whatever the call
/// did, so the <c>grpc-status</c> decides, read from the trailers the forwarder copied (or from
/// the headers of a trailers-only answer, which a call that fails at once gets).
/// </summary>
internal static class GrpcAnswer
{
    private static readonly Dictionary<string, string> NoTrailers = [];

    /// <summary>The status of a gRPC answer, INTERNAL when it has none; null when the answer is not gRPC.</summary>
    public static int? StatusOf(HttpContext context)
    {
        var response = context.Response;
        if (!GrpcContent.IsGrpc(response.ContentType))
        {
            return null;
        }

        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var value = trailers is not null && trailers.TryGetValue("grpc-status", out var trailer) ? trailer.ToString() : response.Headers["grpc-status"].ToString();
        return GrpcStatusCodes.FromHeader(value) ?? GrpcStatusCodes.Internal;
    }

    /// <summary>The trailers of the answer (a gRPC call's status and metadata), for a shadow comparison; empty for an answer without any.</summary>
    public static IReadOnlyDictionary<string, string> Trailers(HttpContext context)
    {
        if (context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is not { Count: > 0 } given)
        {
            return NoTrailers;
        }

        var trailers = new Dictionary<string, string>(given.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in given)
        {
            trailers[name] = values.ToString();
        }

        return trailers;
    }
}
