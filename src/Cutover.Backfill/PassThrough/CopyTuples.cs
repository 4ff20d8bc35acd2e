using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Cutover.Backfill.Checkpoints;

namespace Cutover.Backfill.PassThrough;

/// <summary>
/// Follows PostgreSQL's binary COPY stream as it passes through, chunk by chunk: the header, then
/// per tuple a 16-bit field count and per field a 32-bit length (-1 for null) and its bytes, then
/// the trailer (a field count of -1). Each whole tuple is encoded for the checksum; the last one's
/// key is kept for the checkpoint. The stream itself goes on unchanged.
/// </summary>
internal sealed class CopyTuples(IReadOnlyList<WireType> columns, IReadOnlyList<int> keyColumns)
{
    /// <summary>"PGCOPY\n\377\r\n\0", which every binary COPY stream starts with.</summary>
    private static readonly byte[] Signature = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    private readonly WireType[] _types = [.. columns];
    private readonly CanonicalBuffer _row = new();
    private readonly byte[][] _key = [.. keyColumns.Select(_ => new byte[16])];
    private readonly int[] _keyLength = new int[keyColumns.Count];
    private readonly int[] _keyOf = [.. columns.Select((_, column) => keyColumns.ToList().IndexOf(column))];
    private byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;
    private bool _headerRead;

    /// <summary>The checksum of the tuples read so far.</summary>
    public RowChecksum Checksum { get; } = new();

    /// <summary>How many tuples have been read.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the trailer has been read.</summary>
    public bool Ended { get; private set; }

    /// <summary>False once a tuple holds a value only the boxed path reads as it should (see <see cref="WireTypes.TryEncode"/>).</summary>
    public bool Usable { get; private set; } = true;

    /// <summary>The last tuple's key as Npgsql reads it (a value Npgsql would refuse, such as an infinite date, as null); null before the first tuple.</summary>
    public IReadOnlyList<object?>? LastKey() =>
        Count == 0 ? null : [.. keyColumns.Select((c, k) => WireTypes.Box(_types[c], _key[k].AsSpan(0, _keyLength[k])))];

    /// <summary>Follows the next <paramref name="chunk"/> of the stream; a part cut off at its end is kept until the next chunk completes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (!Usable || Ended)
        {
            return;
        }

        if (_pending.Length - _pendingLength < chunk.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pendingLength + chunk.Length, _pending.Length * 2));
        }

        chunk.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += chunk.Length;
        var used = Read(_pending.AsSpan(0, _pendingLength));
        _pending.AsSpan(used, _pendingLength - used).CopyTo(_pending);
        _pendingLength -= used;
    }

    /// <summary>Reads what whole parts <paramref name="data"/> starts with; returns how many bytes they took.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Read(ReadOnlySpan<byte> data)
    {
        var used = 0;
        if (!_headerRead)
        {
            if (data.Length < Signature.Length + 8)
            {
                return 0;
            }

            var extension = BinaryPrimitives.ReadInt32BigEndian(data[(Signature.Length + 4)..]);
            if (!data.StartsWith(Signature) || data.Length < Signature.Length + 8 + extension)
            {
                Usable &= data.StartsWith(Signature);
                return 0;
            }

            used = Signature.Length + 8 + extension;
            _headerRead = true;
        }

        while (Usable && !Ended && TupleLength(data[used..]) is > 0 and var length)
        {
            Tuple(data.Slice(used, length));
            used += length;
        }

        return used;
    }

    /// <summary>The length of the whole tuple (or trailer) <paramref name="data"/> starts with; 0 when it is not all there yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TupleLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return 0;
        }

        var fields = BinaryPrimitives.ReadInt16BigEndian(data);
        var at = 2;
        for (var i = 0; i < fields; i++)
        {
            if (data.Length < at + 4)
            {
                return 0;
            }

            at += 4 + Math.Max(BinaryPrimitives.ReadInt32BigEndian(data[at..]), 0);
        }

        return data.Length < at ? 0 : at;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tuple(ReadOnlySpan<byte> tuple)
    {
        var fields = BinaryPrimitives.ReadInt16BigEndian(tuple);
        if (fields == -1)
        {
            Ended = true;
            return;
        }

        if (fields != _types.Length)
        {
            Usable = false;
            return;
        }

        _row.Clear();
        var at = 2;
        for (var i = 0; i < fields && Usable; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(tuple[at..]);
            at += 4;
            if (length < 0)
            {
                _row.Null();
                Usable = _keyOf[i] < 0;
                continue;
            }

            var field = tuple.Slice(at, length);
            at += length;
            Usable = WireTypes.TryEncode(_types[i], field, _row);
            if (_keyOf[i] >= 0)
            {
                Keep(_keyOf[i], field);
            }
        }

        if (Usable)
        {
            Checksum.AddEncoded(_row.Row);
            Count++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Keep(int key, ReadOnlySpan<byte> field)
    {
        if (_key[key].Length < field.Length)
        {
            _key[key] = new byte[field.Length];
        }

        field.CopyTo(_key[key]);
        _keyLength[key] = field.Length;
    }
}
