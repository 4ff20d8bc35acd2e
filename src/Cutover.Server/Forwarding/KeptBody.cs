using Cutover.Server.Shadow;

namespace Cutover.Server.Forwarding;

/// <summary>
/// A request body on its way to the candidate that keeps a copy of what was read, up to a limit,
/// so the request can be sent again to legacy. The body streams as before: nothing is read ahead,
/// so a refused connection costs no copy at all and a streaming call is not held back. Once more
/// than the limit was read the copy is given up, and the request can no longer be replayed.
/// </summary>
/// <param name="inner">The request's own body.</param>
/// <param name="limit">The most bytes kept.</param>
/// <param name="length">The declared length, when known, so the copy is allocated once.</param>
internal sealed class KeptBody(Stream inner, long limit, long? length) : PassingBody(inner)
{
    // Bodies of unknown length start with this much and double up to the limit.
    private const int FirstChunk = 16 * 1024;

    private byte[]? _kept;
    private int _length;
    private bool _overflowed;

    /// <summary>Whether everything read so far is kept, so the request can be sent again whole.</summary>
    public bool Whole => !_overflowed;

    /// <summary>The body to send again: what was read, then the rest of the request's body. Only while <see cref="Whole"/>.</summary>
    public Stream Replay() => _length == 0 ? Inner : new ReplayStream(_kept.AsMemory(0, _length), Inner);

    protected override void Keep(ReadOnlySpan<byte> read)
    {
        if (_overflowed || read.IsEmpty)
        {
            return;
        }

        var needed = (long)_length + read.Length;
        if (needed > limit)
        {
            _overflowed = true;
            _kept = null;
            return;
        }

        if (_kept is null || needed > _kept.Length)
        {
            var size = length is { } declared && declared <= limit ? declared : Math.Max(needed, Math.Min(limit, Math.Max(FirstChunk, (_kept?.Length ?? 0) * 2L)));
            Array.Resize(ref _kept, (int)Math.Max(size, needed));
        }

        read.CopyTo(_kept.AsSpan(_length));
        _length += read.Length;
    }
}
