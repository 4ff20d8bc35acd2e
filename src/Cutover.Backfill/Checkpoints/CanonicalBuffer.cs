using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cutover.Backfill.Checkpoints;

/// <summary>
/// One row's canonical encoding (see <see cref="RowChecksum"/>) built from typed values straight
/// into UTF-8 bytes, with no boxed value and no string per value: the pass-through copy encodes
/// every value of millions of rows this way. Each method writes exactly the bytes
/// <see cref="RowChecksum.Add(IReadOnlyList{object})"/> writes for the same value boxed (the tests
/// hold both to it), so checksums never depend on which copy path ran.
/// </summary>
internal sealed class CanonicalBuffer
{
    /// <summary>Room for a value's tag, its length (up to 10 digits) and the colon, before its body.</summary>
    private const int HeaderRoom = 12;

    private byte[] _bytes = new byte[512];
    private int _length;

    /// <summary>The row encoded so far.</summary>
    public ReadOnlySpan<byte> Row => _bytes.AsSpan(0, _length);

    /// <summary>Starts a new row.</summary>
    public void Clear() => _length = 0;

    /// <summary>A null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Null() => Finish('n', 0, 0, Body(0));

    /// <summary>A whole number (any integer column, a boolean as 0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Integer(long value)
    {
        var body = Body(20);
        value.TryFormat(body, out var written, default, CultureInfo.InvariantCulture);
        Finish('i', written, written, body);
    }

    /// <summary>A floating-point number: a whole one below 1e15 as an integer, any other in round-trip form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Double(double value)
    {
        if (double.IsInteger(value) && Math.Abs(value) < 1e15)
        {
            Integer((long)value);
            return;
        }

        var body = Body(32);
        value.TryFormat(body, out var written, "R", CultureInfo.InvariantCulture);
        Finish('d', written, written, body);
    }

    /// <summary>A decimal number already written as invariant ASCII text without trailing fractional zeros; <paramref name="whole"/> when it has no fraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Number(ReadOnlySpan<byte> text, bool whole)
    {
        var body = Body(text.Length);
        text.CopyTo(body);
        Finish(whole ? 'i' : 'd', text.Length, text.Length, body);
    }

    /// <summary>Text given as its UTF-8 bytes; its length counts UTF-16 code units, as the string's does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Text(ReadOnlySpan<byte> utf8)
    {
        var body = Body(utf8.Length);
        utf8.CopyTo(body);
        Finish('s', utf8.Length, Encoding.UTF8.GetCharCount(utf8), body);
    }

    /// <summary>A point in time, in UTC, to the tick.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Time(DateTime utc)
    {
        var body = Body(40);
        utc.TryFormat(body, out var written, "O", CultureInfo.InvariantCulture);
        Finish('t', written, written, body);
    }

    /// <summary>A date, as yyyy-MM-dd (written digit by digit: a custom format string is parsed on every call).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Date(DateOnly date)
    {
        var body = Body(10);
        Digits(body[..4], date.Year);
        body[4] = (byte)'-';
        Digits(body[5..7], date.Month);
        body[7] = (byte)'-';
        Digits(body[8..10], date.Day);
        Finish('s', 10, 10, body);
    }

    /// <summary>A UUID, as its text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Uuid(Guid uuid)
    {
        var body = Body(36);
        uuid.TryFormat(body, out var written, "D");
        Finish('s', written, written, body);
    }

    /// <summary>Bytes, as base64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        var body = Body(Base64.GetMaxEncodedToUtf8Length(bytes.Length));
        Base64.EncodeToUtf8(bytes, body, out _, out var written);
        Finish('b', written, written, body);
    }

    /// <summary>Where the next value's body goes: after room for its header, which <see cref="Finish"/> writes and closes up to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Span<byte> Body(int most)
    {
        var needed = _length + HeaderRoom + most;
        if (needed > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(needed, _bytes.Length * 2));
        }

        return _bytes.AsSpan(_length + HeaderRoom, most);
    }

    /// <summary>Writes <paramref name="value"/> as exactly as many decimal digits as <paramref name="into"/> holds, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            (value, var digit) = Math.DivRem(value, 10);
            into[i] = (byte)('0' + digit);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Finish(char tag, int bytes, int characters, Span<byte> body)
    {
        var header = _bytes.AsSpan(_length, HeaderRoom);
        header[0] = (byte)tag;
        var digits = characters < 10 ? 1 : characters < 100 ? 2 : characters < 1000 ? 3 : 0;
        if (digits == 0)
        {
            characters.TryFormat(header[1..], out digits, default, CultureInfo.InvariantCulture);
        }
        else
        {
            Digits(header.Slice(1, digits), characters);
        }

        header[1 + digits] = (byte)':';
        body[..bytes].CopyTo(_bytes.AsSpan(_length + digits + 2));
        _length += digits + 2 + bytes;
    }
}
