namespace Cutover.Server.Shadow;

/// <summary>
/// A request body read through on its way to a backend, each read shown to <see cref="Keep"/> as
/// it passes. Nothing is read ahead, so the body streams as it would without it (a streaming call
/// is not held back); what of it to keep, and up to what limit, is the subclass's.
/// </summary>
/// <param name="inner">The request's own body.</param>
internal abstract class PassingBody(Stream inner) : ReadOnlyBody
{
    /// <summary>The request's own body, which this one reads through.</summary>
    protected Stream Inner => inner;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Keep(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..read]);
        return read;
    }

    /// <summary>Sees the bytes of one read as they pass; empty when the body has ended.</summary>
    protected abstract void Keep(ReadOnlySpan<byte> read);
}
