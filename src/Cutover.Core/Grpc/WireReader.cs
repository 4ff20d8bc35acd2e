using System.Buffers.Binary;

namespace Cutover.Core.Grpc;

/// <summary>
/// Reads the fields of one encoded message in order. A malformed message (a varint over ten
/// bytes, a length past the end, a field number 0, a group) raises
/// <see cref="ProtobufFormatException"/>, which the decoder turns into a comparison by bytes.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool AtEnd => _position >= _message.Length;

    /// <summary>Reads the next field: its number and its value.</summary>
    public (int Field, WireValue Value) ReadField()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        if (field is 0 or > 536_870_911)
        {
            throw new ProtobufFormatException($"a field numbered {field}, which protobuf does not allow");
        }

        var type = (WireType)(tag & 7);
        switch (type)
        {
            case WireType.Varint:
                return ((int)field, new WireValue(type, ReadVarint(), 0, 0));
            case WireType.Fixed64:
                return ((int)field, new WireValue(type, BinaryPrimitives.ReadUInt64LittleEndian(Take(8)), 0, 0));
            case WireType.Fixed32:
                return ((int)field, new WireValue(type, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), 0, 0));
            case WireType.LengthDelimited:
                var length = ReadVarint();
                if (length > (ulong)(_message.Length - _position))
                {
                    throw new ProtobufFormatException($"field {field} says it is {length} bytes long, past the end of the message");
                }

                var offset = _position;
                _position += (int)length;
                return ((int)field, new WireValue(type, 0, offset, (int)length));
            default:
                throw new ProtobufFormatException($"field {field} uses wire type {(int)type} (a proto2 group or not protobuf), which is not decoded");
        }
    }

    /// <summary>Reads a base-128 varint of at most ten bytes.</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _message.Length)
            {
                throw new ProtobufFormatException("the message ends inside a number");
            }

            var b = _message[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new ProtobufFormatException("a number longer than ten bytes");
    }

    /// <summary>Reads <paramref name="count"/> bytes.</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        if (count > _message.Length - _position)
        {
            throw new ProtobufFormatException("the message ends inside a fixed-size number");
        }

        var bytes = _message.Slice(_position, count);
        _position += count;
        return bytes;
    }
}
