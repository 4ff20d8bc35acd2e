using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cutover.Server.Shadow;

/// <summary>
/// Buffers a request body so it can be sent twice, up to a limit. A larger body is not held in
/// memory: the request is forwarded normally (from what was read plus the rest of the stream) and
/// its copy is skipped.
/// </summary>
internal static class RequestBodyBuffer
{
    /// <summary>The body when it fits in <paramref name="limit"/> bytes, else null; either way the request can still be forwarded whole.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (request.ContentLength > limit)
        {
            return null;
        }

        // With a known length the buffer is exact; a chunked body grows it until it ends or passes the limit.
        var buffer = new byte[request.ContentLength ?? Math.Min(limit + 1, 16 * 1024)];
        var length = 0;
        while (length <= limit)
        {
            if (length == buffer.Length && length != request.ContentLength)
            {
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1));
            }

            var read = length == request.ContentLength ? 0 : await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                request.Body = new MemoryStream(buffer, 0, length, writable: false);
                return buffer.AsMemory(0, length);
            }

            length += read;
        }

        request.Body = new ReplayStream(buffer.AsMemory(0, length), request.Body);
        return null;
    }
}
