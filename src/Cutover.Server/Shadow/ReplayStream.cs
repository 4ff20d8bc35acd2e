namespace Cutover.Server.Shadow;

/// <summary>
/// A request body whose first bytes were already read (to see whether it fits the shadow buffer):
/// it gives those bytes back first and then the rest of the original stream, so the request is
/// forwarded whole either way.
/// </summary>
internal sealed class ReplayStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyBody
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.IsEmpty)
        {
            return rest.Read(buffer);
        }

        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.IsEmpty)
        {
            return rest.ReadAsync(buffer, cancellationToken);
        }

        return ValueTask.FromResult(Read(buffer.Span));
    }
}
