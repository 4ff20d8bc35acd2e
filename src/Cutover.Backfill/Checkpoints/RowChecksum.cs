using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cutover.Backfill.Checkpoints;

/// <summary>
/// The running checksum of the rows copied: the sum, modulo 2^64, of a 64-bit hash of each mapped
/// row's canonical encoding (its XXH64, <see cref="RowHash"/>). A sum does not depend on the order
/// rows are added in, so a checksum can be computed per key range and ranges added up (for verify's
/// chunks and scale-out's workers), and the same rows always give the same sum whichever side they
/// were read from. The row count is kept beside it in the checkpoint.
/// </summary>
/// <remarks>
/// The canonical encoding writes each column, in the job's column order, as a type tag, the value
/// as invariant text, and the text's length, so no two different rows encode alike. Values are
/// normalised to what they mean rather than how an engine stores them: every whole number
/// (including a decimal with no fraction, and a boolean as 0 or 1) is an integer, UUIDs are text,
/// times are UTC to the tick, and SQLite's text and PostgreSQL's uuid or timestamp give the same
/// encoding when they hold the same value.
/// </remarks>
public sealed class RowChecksum
{
    private ulong _sum;
    private byte[] _buffer = new byte[256];

    /// <summary>A checksum of no rows.</summary>
    public RowChecksum()
    {
    }

    private RowChecksum(ulong sum) => _sum = sum;

    /// <summary>The checksum as stored: 16 hex digits.</summary>
    public string Value => _sum.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>A checksum stored by <see cref="Value"/>; an empty text is a checksum of no rows.</summary>
    public static RowChecksum Parse(string text) =>
        new(string.IsNullOrEmpty(text) ? 0 : ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>Adds the rows of another checksum, as a split job adds up its ranges' checksums into the job's (and a batch's into the run's).</summary>
    public void Add(RowChecksum other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _sum = unchecked(_sum + other._sum);
    }

    /// <summary>Adds one mapped row.</summary>
    /// <remarks>
    /// Writes the canonical encoding's UTF-8 bytes straight into a buffer kept between rows rather
    /// than building its text first: the same bytes as <see cref="Canonical"/>, without two copies of
    /// every row, which matters at millions of rows.
    /// </remarks>
    public void Add(IReadOnlyList<object?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var length = 0;
        foreach (var value in row)
        {
            var (tag, body) = Encode(value);
            var size = body.Length.ToString(CultureInfo.InvariantCulture);
            Reserve(length + 2 + size.Length + Encoding.UTF8.GetMaxByteCount(body.Length));
            _buffer[length++] = (byte)tag;
            length += Encoding.UTF8.GetBytes(size, _buffer.AsSpan(length));
            _buffer[length++] = (byte)':';
            length += Encoding.UTF8.GetBytes(body, _buffer.AsSpan(length));
        }

        AddEncoded(_buffer.AsSpan(0, length));
    }

    /// <summary>Adds one row given as its canonical encoding's UTF-8 bytes (see <see cref="CanonicalBuffer"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddEncoded(ReadOnlySpan<byte> canonical)
    {
        _sum = unchecked(_sum + RowHash.Of(canonical));
    }

    /// <summary>The canonical encoding of a row (see the remarks on <see cref="RowChecksum"/>).</summary>
    public static string Canonical(IReadOnlyList<object?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var text = new StringBuilder();
        foreach (var value in row)
        {
            var (tag, body) = Encode(value);
            text.Append(tag).Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(body);
        }

        return text.ToString();
    }

    private void Reserve(int bytes)
    {
        if (bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(bytes, _buffer.Length * 2));
        }
    }

    private static (char Tag, string Body) Encode(object? value) => value switch
    {
        null or DBNull => ('n', string.Empty),
        bool flag => ('i', flag ? "1" : "0"),
        long or int or short or byte or sbyte or uint or ushort or ulong => ('i', Convert.ToString(value, CultureInfo.InvariantCulture)!),
        decimal number when number == decimal.Truncate(number) => ('i', decimal.Truncate(number).ToString(CultureInfo.InvariantCulture)),
        decimal number => ('d', number.ToString("0.############################", CultureInfo.InvariantCulture)),
        double number when double.IsInteger(number) && Math.Abs(number) < 1e15 => ('i', ((long)number).ToString(CultureInfo.InvariantCulture)),
        double number => ('d', number.ToString("R", CultureInfo.InvariantCulture)),
        float number => Encode((double)number),
        string text => ('s', text),
        Guid guid => ('s', guid.ToString("D")),
        DateTime time => ('t', (time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime()).ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset time => ('t', time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        DateOnly date => ('s', date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        byte[] bytes => ('b', Convert.ToBase64String(bytes)),
        IFormattable other => ('s', other.ToString(null, CultureInfo.InvariantCulture)),
        _ => ('s', value.ToString() ?? string.Empty),
    };
}
