using Cutover.Kernel.Timing;

namespace Cutover.Kernel.Link;

/// <summary>
/// Reads an event stream that must never stay silent longer than its limit (the admin API
/// sends a keep-alive every 5 s): a read that waits longer ends with an <see cref="IOException"/>,
/// so a follower whose connection died without a close (a machine gone, a dropped route) notices
/// and reconnects instead of deciding on a stale state forever.
/// </summary>
public sealed class SilentStreamGuard(Stream inner, TimeSpan limit) : Stream
{
    /// <summary>Three keep-alive intervals of the admin API's event stream: a healthy stream never goes this long without a byte.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var quiet = IoDeadline.After(limit, cancellationToken);
        try
        {
            return await inner.ReadAsync(buffer, quiet.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"the event stream was silent for {limit.TotalSeconds:0} s, past its keep-alives: the connection is taken as lost");
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The event stream is read asynchronously.");

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
