using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.PassThrough;

/// <summary>
/// A PostgreSQL type whose binary COPY form the pass-through copy reads itself: it encodes each
/// value for the checksum exactly as <see cref="RowChecksum"/> encodes the .NET value Npgsql would
/// have read, without reading that value. Types outside this list (and values Npgsql would refuse,
/// such as a numeric too big for a decimal or an infinite time) leave the batch to the boxed path.
/// </summary>
internal enum WireType
{
    Boolean,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    Numeric,
    Text,
    Json,
    Jsonb,
    Bytea,
    Uuid,
    Date,
    Timestamp,
    TimestampTz,
}

/// <summary>Reads the binary COPY form of the <see cref="WireType"/>s.</summary>
internal static class WireTypes
{
    private const ushort Negative = 0x4000;
    private const long Epoch2000Ticks = 630822816000000000;
    private const int Epoch2000Day = 730119;

    /// <summary>The wire type of a built-in type's OID, or null when the pass-through does not read it.</summary>
    public static WireType? Of(uint oid) => oid switch
    {
        16 => WireType.Boolean,
        21 => WireType.Int2,
        23 => WireType.Int4,
        20 => WireType.Int8,
        700 => WireType.Float4,
        701 => WireType.Float8,
        1700 => WireType.Numeric,
        25 or 1043 => WireType.Text,
        114 => WireType.Json,
        3802 => WireType.Jsonb,
        17 => WireType.Bytea,
        2950 => WireType.Uuid,
        1082 => WireType.Date,
        1114 => WireType.Timestamp,
        1184 => WireType.TimestampTz,
        _ => null,
    };

    /// <summary>Whether a key column of the type can be boxed for the checkpoint (see <see cref="Box"/>).</summary>
    public static bool CanBox(WireType type) => type is not (WireType.Numeric or WireType.Float4 or WireType.Float8 or WireType.Json or WireType.Jsonb or WireType.Bytea);

    /// <summary>
    /// Appends one non-null value to <paramref name="row"/>; false when the value is one the boxed
    /// path would read differently or refuse, so the batch must go that way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryEncode(WireType type, ReadOnlySpan<byte> field, CanonicalBuffer row)
    {
        switch (type)
        {
            case WireType.Boolean:
                row.Integer(field[0] != 0 ? 1 : 0);
                return true;
            case WireType.Int2:
                row.Integer(BinaryPrimitives.ReadInt16BigEndian(field));
                return true;
            case WireType.Int4:
                row.Integer(BinaryPrimitives.ReadInt32BigEndian(field));
                return true;
            case WireType.Int8:
                row.Integer(BinaryPrimitives.ReadInt64BigEndian(field));
                return true;
            case WireType.Float4:
                row.Double(BinaryPrimitives.ReadSingleBigEndian(field));
                return true;
            case WireType.Float8:
                row.Double(BinaryPrimitives.ReadDoubleBigEndian(field));
                return true;
            case WireType.Numeric:
                return TryNumeric(field, row);
            case WireType.Text or WireType.Json:
                row.Text(field);
                return true;
            case WireType.Jsonb:
                row.Text(field[1..]);
                return true;
            case WireType.Bytea:
                row.Bytes(field);
                return true;
            case WireType.Uuid:
                row.Uuid(new Guid(field, bigEndian: true));
                return true;
            case WireType.Date when TryDate(field, out var date):
                row.Date(date);
                return true;
            case WireType.Timestamp or WireType.TimestampTz when TryTime(field, DateTimeKind.Utc, out var time):
                row.Time(time);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A key value as Npgsql reads it, for the checkpoint; null when it is one Npgsql would refuse.</summary>
    public static object? Box(WireType type, ReadOnlySpan<byte> field) => type switch
    {
        WireType.Boolean => field[0] != 0,
        WireType.Int2 => BinaryPrimitives.ReadInt16BigEndian(field),
        WireType.Int4 => BinaryPrimitives.ReadInt32BigEndian(field),
        WireType.Int8 => BinaryPrimitives.ReadInt64BigEndian(field),
        WireType.Text => Encoding.UTF8.GetString(field),
        WireType.Uuid => new Guid(field, bigEndian: true),
        WireType.Date => TryDate(field, out var date) ? date : null,
        WireType.Timestamp => TryTime(field, DateTimeKind.Unspecified, out var time) ? time : null,
        WireType.TimestampTz => TryTime(field, DateTimeKind.Utc, out var time) ? time : null,
        _ => null,
    };

    /// <summary>A base-10000 digit as four decimal digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourDigits(Span<byte> into, int digits)
    {
        into[3] = (byte)('0' + (digits % 10));
        into[2] = (byte)('0' + (digits / 10 % 10));
        into[1] = (byte)('0' + (digits / 100 % 10));
        into[0] = (byte)('0' + (digits / 1000));
    }

    /// <summary>Days since 2000-01-01; the infinities and days outside .NET's range are refused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDate(ReadOnlySpan<byte> field, out DateOnly date)
    {
        var day = (long)BinaryPrimitives.ReadInt32BigEndian(field) + Epoch2000Day;
        date = day is >= 0 and <= 3652058 ? DateOnly.FromDayNumber((int)day) : default;
        return day is >= 0 and <= 3652058;
    }

    /// <summary>Microseconds since 2000-01-01; the infinities and times outside .NET's range are refused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryTime(ReadOnlySpan<byte> field, DateTimeKind kind, out DateTime time)
    {
        var microseconds = BinaryPrimitives.ReadInt64BigEndian(field);
        var fits = microseconds >= (DateTime.MinValue.Ticks - Epoch2000Ticks) / 10 && microseconds <= (DateTime.MaxValue.Ticks - Epoch2000Ticks) / 10;
        time = fits ? new DateTime(Epoch2000Ticks + (microseconds * 10), kind) : default;
        return fits;
    }

    /// <summary>
    /// A numeric (base-10000 digits, weight, sign, display scale) as the decimal text the boxed
    /// path writes: at least one integer digit, no trailing fractional zeros, whole numbers as
    /// integers. NaN, the infinities and values that a decimal might not hold exactly are refused.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryNumeric(ReadOnlySpan<byte> field, CanonicalBuffer row)
    {
        int count = BinaryPrimitives.ReadInt16BigEndian(field);
        int weight = BinaryPrimitives.ReadInt16BigEndian(field[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(field[4..]);
        int scale = BinaryPrimitives.ReadInt16BigEndian(field[6..]);
        var integerDigits = Math.Max(weight + 1, 0) * 4;
        if (sign is not (0 or Negative) || scale > 28 || integerDigits > 32)
        {
            return false;
        }

        Span<byte> text = stackalloc byte[1 + 32 + 1 + 32];
        var length = 0;
        if (sign == Negative)
        {
            text[length++] = (byte)'-';
        }

        var significant = 0;
        for (var group = 0; group <= weight; group++)
        {
            var digits = group < count ? BinaryPrimitives.ReadInt16BigEndian(field[(8 + (2 * group))..]) : 0;
            if (significant == 0)
            {
                if (digits == 0)
                {
                    continue;
                }

                digits.TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
                length += written;
                significant = written;
            }
            else
            {
                FourDigits(text[length..], digits);
                length += 4;
                significant += 4;
            }
        }

        if (significant == 0)
        {
            text[length++] = (byte)'0';
        }

        var point = length;
        text[length++] = (byte)'.';
        for (var place = 1; place <= (scale + 3) / 4; place++)
        {
            var group = weight + place;
            var digits = group >= 0 && group < count ? BinaryPrimitives.ReadInt16BigEndian(field[(8 + (2 * group))..]) : 0;
            FourDigits(text[length..], digits);
            length += 4;
        }

        while (length > point + 1 && text[length - 1] == (byte)'0')
        {
            length--;
        }

        var fraction = length - point - 1;
        if (significant + scale > 28)
        {
            return false;
        }

        if (fraction == 0)
        {
            length = point;
            if (significant == 0)
            {
                length = 0;
                text[length++] = (byte)'0';
            }
        }

        row.Number(text[..length], whole: fraction == 0);
        return true;
    }
}
