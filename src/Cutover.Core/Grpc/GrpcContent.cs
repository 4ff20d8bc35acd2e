namespace Cutover.Core.Grpc;

/// <summary>
/// What gRPC's wire says about a body: whether a content type is gRPC's, and the
/// length-prefixed messages of a body (a flag byte for compression, four bytes of length, the
/// message). A unary call's request and answer are one message each.
/// </summary>
public static class GrpcContent
{
    /// <summary>The bytes before each message: the compressed flag and the length.</summary>
    public const int PrefixBytes = 5;

    /// <summary>Whether a content type is gRPC's (<c>application/grpc</c>, <c>application/grpc+proto</c>…), not gRPC-Web's, which carries its trailers in the body.</summary>
    public static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == 16 || contentType[16] is '+' or ';');

    /// <summary>
    /// The one message of a body: true with the message when the body is exactly one whole
    /// message, false for an empty body, several messages or a cut one.
    /// </summary>
    public static bool TrySingle(ReadOnlyMemory<byte> body, out ReadOnlyMemory<byte> message, out bool compressed)
    {
        message = default;
        compressed = false;
        var span = body.Span;
        if (span.Length < PrefixBytes || span[0] > 1)
        {
            return false;
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(span[1..]);
        if (length != (uint)(span.Length - PrefixBytes))
        {
            return false;
        }

        compressed = span[0] == 1;
        message = body[PrefixBytes..];
        return true;
    }
}
