using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Shadow;

/// <summary>
/// Stands in for a gRPC call's request body while legacy reads it, keeping a copy of what it
/// read. A gRPC call may stream both ways, its client waiting for an answer before it sends
/// more, so its body cannot be read whole before legacy is asked, as other copies' are: it is
/// kept as it passes, up to the limit, and whether it was one whole message is judged after.
/// </summary>
internal sealed class RequestCapture : PassingBody
{
    private readonly long _limit;
    private ArrayBufferWriter<byte>? _copy = new();

    private RequestCapture(Stream inner, long limit)
        : base(inner)
    {
        _limit = limit;
    }

    /// <summary>The bytes read, when the body ended within the limit; null otherwise.</summary>
    public ReadOnlyMemory<byte>? Complete => Ended && _copy is { } copy ? copy.WrittenMemory : null;

    private bool Ended { get; set; }

    /// <summary>Puts a capture in front of <paramref name="request"/>'s body.</summary>
    public static RequestCapture Install(HttpRequest request, long limit)
    {
        var capture = new RequestCapture(request.Body, limit);
        request.Body = capture;
        return capture;
    }

    protected override void Keep(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            Ended = true;
            return;
        }

        if (_copy is null)
        {
            return;
        }

        if (_copy.WrittenCount + (long)bytes.Length > _limit)
        {
            // Past the limit: no copy will be sent, so nothing more is kept.
            _copy = null;
            return;
        }

        _copy.Write(bytes);
    }
}
