using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Cutover.Core.Grpc;

/// <summary>
/// Decodes an encoded protobuf message into the JSON protobuf's own JSON mapping gives it
/// (Google.Protobuf's <c>JsonFormatter</c> with default settings), driven by descriptors alone:
/// C# protobuf has no dynamic message, and the comparer needs no classes, only the fields. Names
/// are the fields' JSON names, 64-bit integers strings, enums their value's name, bytes base64,
/// maps objects, well-known types (Timestamp, Duration, wrappers, Struct, Value, ListValue,
/// FieldMask, Any) their special forms; a field without presence holding its default value is
/// left out, as the formatter does. A field the descriptor does not know (a newer version's) is
/// kept under its number, so a candidate that sends one more field still differs.
/// Nesting is bounded by <see cref="MaxDepth"/> and the JSON by a byte limit, since the bytes
/// come from a backend.
/// </summary>
internal sealed class MessageJson
{
    /// <summary>How deeply messages may nest: protobuf's own parsers stop at 100.</summary>
    public const int MaxDepth = 64;

    private readonly Func<string, MessageDescriptor?> _findType;
    private readonly long _maxBytes;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _writer;

    private MessageJson(Func<string, MessageDescriptor?> findType, long maxBytes)
    {
        _findType = findType;
        _maxBytes = maxBytes;
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>
    /// The JSON of <paramref name="message"/> read as <paramref name="type"/>, at most
    /// <paramref name="maxBytes"/> long; <paramref name="findType"/> resolves the type an Any names.
    /// </summary>
    /// <exception cref="ProtobufFormatException">The bytes are not that message, or the JSON would be longer or deeper than allowed.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> message, MessageDescriptor type, Func<string, MessageDescriptor?> findType, long maxBytes)
    {
        var json = new MessageJson(findType, maxBytes);
        json.WriteMessage(message, type, 0);
        json._writer.Flush();
        return json._buffer.WrittenSpan.ToArray();
    }

    private void WriteMessage(ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtobufFormatException($"messages nest more than {MaxDepth} levels deep");
        }

        if (!WellKnownJson.TryWrite(this, bytes, type, depth))
        {
            WriteFields(bytes, type, depth);
        }

        CheckSize();
    }

    private void WriteFields(ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth)
    {
        var found = Collect(bytes);
        var losers = OneofLosers(type, found);
        var unknown = new SortedDictionary<int, List<WireValue>>();
        _writer.WriteStartObject();
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (!found.Remove(field.FieldNumber, out var values))
            {
                continue;
            }

            var (fitting, misfits) = Split(field, values.Values);
            if (misfits.Count > 0)
            {
                unknown[field.FieldNumber] = misfits;
            }

            if (fitting.Count > 0 && !losers.Contains(field.FieldNumber))
            {
                WriteField(bytes, field, fitting, depth);
            }
        }

        foreach (var (number, values) in found)
        {
            unknown[number] = values.Values;
        }

        foreach (var (number, values) in unknown)
        {
            WriteUnknown(bytes, number, values);
        }

        _writer.WriteEndObject();
    }

    /// <summary>Every field's values in wire order, and the position of its last one (for a oneof, where the last member set wins).</summary>
    internal static Dictionary<int, (List<WireValue> Values, int Last)> Collect(ReadOnlySpan<byte> bytes)
    {
        var found = new Dictionary<int, (List<WireValue> Values, int Last)>();
        var reader = new WireReader(bytes);
        for (var position = 0; !reader.AtEnd; position++)
        {
            var (field, value) = reader.ReadField();
            if (!found.TryGetValue(field, out var entry))
            {
                entry = ([], 0);
            }

            entry.Values.Add(value);
            found[field] = (entry.Values, position);
        }

        return found;
    }

    /// <summary>The members of a oneof set before another member of it: the last one set wins, as when decoding.</summary>
    private static HashSet<int> OneofLosers(MessageDescriptor type, Dictionary<int, (List<WireValue> Values, int Last)> found)
    {
        var losers = new HashSet<int>();
        foreach (var oneof in type.Oneofs.Where(o => !o.IsSynthetic))
        {
            var set = oneof.Fields.Where(f => found.ContainsKey(f.FieldNumber)).OrderBy(f => found[f.FieldNumber].Last).ToList();
            losers.UnionWith(set.SkipLast(1).Select(f => f.FieldNumber));
        }

        return losers;
    }

    private static (List<WireValue> Fitting, List<WireValue> Misfits) Split(FieldDescriptor field, List<WireValue> values)
    {
        var expected = WireTypeOf(field.FieldType);
        var packable = field.IsRepeated && !field.IsMap && expected != WireType.LengthDelimited;
        var fitting = new List<WireValue>(values.Count);
        var misfits = new List<WireValue>();
        foreach (var value in values)
        {
            (value.Type == expected || (packable && value.Type == WireType.LengthDelimited) ? fitting : misfits).Add(value);
        }

        return (fitting, misfits);
    }

    private void WriteField(ReadOnlySpan<byte> bytes, FieldDescriptor field, List<WireValue> values, int depth)
    {
        if (field.IsMap)
        {
            _writer.WritePropertyName(field.JsonName);
            WriteMap(bytes, field, values, depth);
        }
        else if (field.IsRepeated)
        {
            _writer.WritePropertyName(field.JsonName);
            _writer.WriteStartArray();
            foreach (var value in Unpacked(bytes, field, values))
            {
                WriteValue(bytes, field, value, depth);
                CheckSize();
            }

            _writer.WriteEndArray();
        }
        else if (field.FieldType == FieldType.Message)
        {
            _writer.WritePropertyName(field.JsonName);
            WriteMessage(Merged(bytes, values), field.MessageType, depth + 1);
        }
        else
        {
            var value = values[^1];
            if (field.HasPresence || !IsDefault(field, value))
            {
                _writer.WritePropertyName(field.JsonName);
                WriteValue(bytes, field, value, depth);
            }
        }
    }

    /// <summary>A singular message given several times is merged, which is what decoding the pieces one after another does.</summary>
    private static ReadOnlySpan<byte> Merged(ReadOnlySpan<byte> bytes, List<WireValue> values)
    {
        if (values.Count == 1)
        {
            return bytes.Slice(values[0].Offset, values[0].Length);
        }

        var merged = new byte[values.Sum(v => v.Length)];
        var at = 0;
        foreach (var value in values)
        {
            bytes.Slice(value.Offset, value.Length).CopyTo(merged.AsSpan(at));
            at += value.Length;
        }

        return merged;
    }

    private static List<WireValue> Unpacked(ReadOnlySpan<byte> bytes, FieldDescriptor field, List<WireValue> values)
    {
        var expected = WireTypeOf(field.FieldType);
        if (expected == WireType.LengthDelimited || values.TrueForAll(v => v.Type == expected))
        {
            return values;
        }

        var unpacked = new List<WireValue>();
        foreach (var value in values)
        {
            if (value.Type == expected)
            {
                unpacked.Add(value);
                continue;
            }

            var reader = new WireReader(bytes.Slice(value.Offset, value.Length));
            while (!reader.AtEnd)
            {
                unpacked.Add(expected switch
                {
                    WireType.Varint => new WireValue(expected, reader.ReadVarint(), 0, 0),
                    WireType.Fixed32 => new WireValue(expected, BinaryPrimitives.ReadUInt32LittleEndian(reader.Take(4)), 0, 0),
                    _ => new WireValue(expected, BinaryPrimitives.ReadUInt64LittleEndian(reader.Take(8)), 0, 0),
                });
            }
        }

        return unpacked;
    }

    private void WriteMap(ReadOnlySpan<byte> bytes, FieldDescriptor field, List<WireValue> entries, int depth)
    {
        var keyField = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
        // A later entry with the same key replaces the value; the value's offset is within its entry, so the entry's bytes go with it.
        var map = new OrderedDictionary<string, (byte[] Entry, WireValue? Value)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var entryBytes = bytes.Slice(entry.Offset, entry.Length);
            var found = Collect(entryBytes);
            var key = Last(keyField, found);
            var value = Last(valueField, found);
            var keyText = MapKey(entryBytes, keyField, key ?? new WireValue(WireTypeOf(keyField.FieldType), 0, 0, 0));
            map[keyText] = (entryBytes.ToArray(), value);
        }

        _writer.WriteStartObject();
        foreach (var (key, (owner, value)) in map)
        {
            _writer.WritePropertyName(key);
            if (value is { } given)
            {
                WriteValue(owner, valueField, given, depth);
            }
            else if (valueField.FieldType == FieldType.Message)
            {
                WriteMessage([], valueField.MessageType, depth + 1);
            }
            else
            {
                WriteValue(owner, valueField, new WireValue(WireTypeOf(valueField.FieldType), 0, 0, 0), depth);
            }

            CheckSize();
        }

        _writer.WriteEndObject();
    }

    private static WireValue? Last(FieldDescriptor field, Dictionary<int, (List<WireValue> Values, int Last)> found)
    {
        if (!found.TryGetValue(field.FieldNumber, out var values))
        {
            return null;
        }

        var expected = WireTypeOf(field.FieldType);
        var index = values.Values.FindLastIndex(v => v.Type == expected);
        return index < 0 ? null : values.Values[index];
    }

    private static string MapKey(ReadOnlySpan<byte> bytes, FieldDescriptor field, WireValue key) => field.FieldType switch
    {
        FieldType.String => Encoding.UTF8.GetString(bytes.Slice(key.Offset, key.Length)),
        FieldType.Bool => key.Number != 0 ? "true" : "false",
        _ => IntegerText(field.FieldType, key.Number),
    };

    /// <summary>Writes one value of <paramref name="field"/> (an element, for a repeated field).</summary>
    internal void WriteValue(ReadOnlySpan<byte> bytes, FieldDescriptor field, WireValue value, int depth)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                WriteMessage(bytes.Slice(value.Offset, value.Length), field.MessageType, depth + 1);
                break;
            case FieldType.String:
                _writer.WriteStringValue(Encoding.UTF8.GetString(bytes.Slice(value.Offset, value.Length)));
                break;
            case FieldType.Bytes:
                _writer.WriteBase64StringValue(bytes.Slice(value.Offset, value.Length));
                break;
            case FieldType.Bool:
                _writer.WriteBooleanValue(value.Number != 0);
                break;
            case FieldType.Double:
                WriteFloating(BitConverter.UInt64BitsToDouble(value.Number));
                break;
            case FieldType.Float:
                WriteFloating(BitConverter.UInt32BitsToSingle((uint)value.Number));
                break;
            case FieldType.Enum:
                var number = (int)value.Number;
                if (field.EnumType.FindValueByNumber(number) is { } named)
                {
                    _writer.WriteStringValue(named.Name);
                }
                else
                {
                    _writer.WriteNumberValue(number);
                }

                break;
            case FieldType.Int64 or FieldType.UInt64 or FieldType.SInt64 or FieldType.Fixed64 or FieldType.SFixed64:
                _writer.WriteStringValue(IntegerText(field.FieldType, value.Number));
                break;
            case FieldType.Int32 or FieldType.UInt32 or FieldType.SInt32 or FieldType.Fixed32 or FieldType.SFixed32:
                _writer.WriteRawValue(IntegerText(field.FieldType, value.Number), skipInputValidation: true);
                break;
            default:
                throw new ProtobufFormatException($"field {field.Name} is a {field.FieldType}, which is not decoded");
        }
    }

    /// <summary>Writes NaN and the infinities as the strings protobuf's JSON uses for them.</summary>
    internal void WriteFloating(double value)
    {
        if (double.IsFinite(value))
        {
            _writer.WriteNumberValue(value);
        }
        else
        {
            _writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private void WriteFloating(float value)
    {
        if (float.IsFinite(value))
        {
            _writer.WriteNumberValue(value);
        }
        else
        {
            WriteFloating((double)value);
        }
    }

    /// <summary>
    /// A field the descriptor does not declare, or one whose wire type does not fit its declared
    /// type: kept under its number, a varint or fixed value as its unsigned number, a
    /// length-delimited one as base64; several values become an array.
    /// </summary>
    private void WriteUnknown(ReadOnlySpan<byte> bytes, int number, List<WireValue> values)
    {
        _writer.WritePropertyName(number.ToString(CultureInfo.InvariantCulture));
        if (values.Count > 1)
        {
            _writer.WriteStartArray();
        }

        foreach (var value in values)
        {
            if (value.Type == WireType.LengthDelimited)
            {
                _writer.WriteBase64StringValue(bytes.Slice(value.Offset, value.Length));
            }
            else
            {
                _writer.WriteNumberValue(value.Number);
            }
        }

        if (values.Count > 1)
        {
            _writer.WriteEndArray();
        }
    }

    /// <summary>The writer, for the well-known types' special forms.</summary>
    internal Utf8JsonWriter Writer => _writer;

    /// <summary>Resolves a message type by its full name, for an Any.</summary>
    internal MessageDescriptor? FindType(string fullName) => _findType(fullName);

    /// <summary>Writes the fields of a message as an object's members, without the braces: an Any's payload beside its <c>@type</c>.</summary>
    internal void WriteMembers(ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth)
    {
        var found = Collect(bytes);
        var losers = OneofLosers(type, found);
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (found.TryGetValue(field.FieldNumber, out var values) && Split(field, values.Values).Fitting is { Count: > 0 } fitting && !losers.Contains(field.FieldNumber))
            {
                WriteField(bytes, field, fitting, depth);
            }
        }
    }

    /// <summary>Writes a message nested in a well-known type's form.</summary>
    internal void WriteNested(ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth) => WriteMessage(bytes, type, depth + 1);

    private void CheckSize()
    {
        if (_writer.BytesCommitted + _writer.BytesPending > _maxBytes)
        {
            throw new ProtobufFormatException($"its JSON would be longer than {_maxBytes} bytes");
        }
    }

    internal static bool IsDefault(FieldDescriptor field, WireValue value) => field.FieldType switch
    {
        FieldType.String or FieldType.Bytes => value.Length == 0,
        FieldType.Double => BitConverter.UInt64BitsToDouble(value.Number) == 0,
        FieldType.Float => BitConverter.UInt32BitsToSingle((uint)value.Number) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.UInt32 or FieldType.Fixed32 or FieldType.Enum => (uint)value.Number == 0,
        _ => value.Number == 0,
    };

    /// <summary>The wire type a field of this type is written with, unpacked.</summary>
    internal static WireType WireTypeOf(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireType.Fixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireType.LengthDelimited,
        FieldType.Group => WireType.StartGroup,
        _ => WireType.Varint,
    };

    /// <summary>An integer field's value as decimal text, by how its type encodes the sign.</summary>
    internal static string IntegerText(FieldType type, ulong raw) => type switch
    {
        FieldType.Int64 or FieldType.SFixed64 => ((long)raw).ToString(CultureInfo.InvariantCulture),
        FieldType.SInt64 => ((long)(raw >> 1) ^ -(long)(raw & 1)).ToString(CultureInfo.InvariantCulture),
        FieldType.Int32 or FieldType.SFixed32 => ((int)raw).ToString(CultureInfo.InvariantCulture),
        FieldType.SInt32 => ((int)((uint)raw >> 1) ^ -(int)(raw & 1)).ToString(CultureInfo.InvariantCulture),
        FieldType.UInt32 or FieldType.Fixed32 => ((uint)raw).ToString(CultureInfo.InvariantCulture),
        _ => raw.ToString(CultureInfo.InvariantCulture),
    };
}
