using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Shadow;

/// <summary>
/// Stands in for the response body while legacy's answer streams to the user, keeping a copy of
/// the first bytes for comparison. Every write goes to the user first and unchanged; past the
/// limit the copy stops and is marked cut, so a huge download costs no more memory than the limit.
/// An answer with a Content-Length is kept in one buffer of its size, not in a doubling one that
/// could hold twice what the shadow queue is charged for it.
/// </summary>
internal sealed class ResponseCapture(HttpResponse response, long limit) : Stream
{
    private readonly Stream _inner = response.Body;
    private ArrayBufferWriter<byte>? _copy;

    /// <summary>The user's response stream, to put back when the forwarding is done.</summary>
    public Stream Inner => _inner;

    /// <summary>The bytes kept.</summary>
    public ReadOnlyMemory<byte> Captured => _copy?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Whether the body was longer than the limit.</summary>
    public bool Truncated { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        Keep(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken);
        Keep(buffer.Span);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        // The headers are sent before the first byte of the body, so the length is known by now.
        _copy ??= response.ContentLength is > 0 and var length ? new ArrayBufferWriter<byte>((int)Math.Min(length, limit)) : new ArrayBufferWriter<byte>();
        var room = (int)Math.Min(bytes.Length, limit - _copy.WrittenCount);
        if (room < bytes.Length)
        {
            Truncated = true;
        }

        if (room > 0)
        {
            _copy.Write(bytes[..room]);
        }
    }
}
