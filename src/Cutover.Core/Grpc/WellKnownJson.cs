using System.Globalization;
using System.Text;
using Google.Protobuf.Reflection;

namespace Cutover.Core.Grpc;

/// <summary>
/// The special JSON forms protobuf gives its well-known types, as Google.Protobuf's formatter
/// writes them: a Timestamp as RFC 3339 text, a Duration as seconds ("1.500s"), a wrapper as its
/// value, Struct, Value and ListValue as the JSON they hold, a FieldMask as its paths, an Any as
/// its payload with <c>@type</c>. Recognised by full name, so a descriptor set's own copy of
/// the well-known files works as well as the library's.
/// </summary>
internal static class WellKnownJson
{
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Writes the special form of a well-known type; false for any other type.</summary>
    public static bool TryWrite(MessageJson json, ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth)
    {
        switch (type.FullName)
        {
            case "google.protobuf.Timestamp":
                json.Writer.WriteStringValue(Timestamp(bytes));
                return true;
            case "google.protobuf.Duration":
                json.Writer.WriteStringValue(Duration(bytes));
                return true;
            case "google.protobuf.DoubleValue" or "google.protobuf.FloatValue" or "google.protobuf.Int64Value" or "google.protobuf.UInt64Value"
                or "google.protobuf.Int32Value" or "google.protobuf.UInt32Value" or "google.protobuf.BoolValue" or "google.protobuf.StringValue" or "google.protobuf.BytesValue":
                var field = type.FindFieldByNumber(1);
                json.WriteValue(bytes, field, LastOf(bytes, field) ?? new WireValue(MessageJson.WireTypeOf(field.FieldType), 0, 0, 0), depth);
                return true;
            case "google.protobuf.Struct":
                WriteStruct(json, bytes, type, depth);
                return true;
            case "google.protobuf.Value":
                WriteValue(json, bytes, type, depth);
                return true;
            case "google.protobuf.ListValue":
                json.Writer.WriteStartArray();
                var values = type.FindFieldByNumber(1);
                foreach (var value in AllOf(bytes, values))
                {
                    json.WriteNested(bytes.Slice(value.Offset, value.Length), values.MessageType, depth);
                }

                json.Writer.WriteEndArray();
                return true;
            case "google.protobuf.FieldMask":
                var paths = new List<string>();
                foreach (var path in AllOf(bytes, type.FindFieldByNumber(1)))
                {
                    paths.Add(LowerCamel(Encoding.UTF8.GetString(bytes.Slice(path.Offset, path.Length))));
                }

                json.Writer.WriteStringValue(string.Join(',', paths));
                return true;
            case "google.protobuf.Any":
                WriteAny(json, bytes, type, depth);
                return true;
            default:
                return false;
        }
    }

    private static void WriteStruct(MessageJson json, ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth)
    {
        var fields = type.FindFieldByNumber(1);
        var valueField = fields.MessageType.FindFieldByNumber(2);
        var entries = new OrderedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in AllOf(bytes, fields))
        {
            var entryBytes = bytes.Slice(entry.Offset, entry.Length);
            var key = LastOf(entryBytes, fields.MessageType.FindFieldByNumber(1)) is { } k ? Encoding.UTF8.GetString(entryBytes.Slice(k.Offset, k.Length)) : string.Empty;
            entries[key] = LastOf(entryBytes, valueField) is { } v ? entryBytes.Slice(v.Offset, v.Length).ToArray() : [];
        }

        json.Writer.WriteStartObject();
        foreach (var (key, value) in entries)
        {
            json.Writer.WritePropertyName(key);
            json.WriteNested(value, valueField.MessageType, depth);
        }

        json.Writer.WriteEndObject();
    }

    private static void WriteValue(MessageJson json, ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth)
    {
        var found = MessageJson.Collect(bytes);
        var kind = type.Fields.InDeclarationOrder().Where(f => found.ContainsKey(f.FieldNumber)).MaxBy(f => found[f.FieldNumber].Last);
        if (kind is null)
        {
            throw new ProtobufFormatException("a google.protobuf.Value with no kind set");
        }

        var value = found[kind.FieldNumber].Values[^1];
        switch (kind.FieldNumber)
        {
            case 1:
                json.Writer.WriteNullValue();
                break;
            case 2:
                json.WriteFloating(BitConverter.UInt64BitsToDouble(value.Number));
                break;
            case 5 or 6:
                json.WriteNested(bytes.Slice(value.Offset, value.Length), kind.MessageType, depth);
                break;
            default:
                json.WriteValue(bytes, kind, value, depth);
                break;
        }
    }

    private static void WriteAny(MessageJson json, ReadOnlySpan<byte> bytes, MessageDescriptor type, int depth)
    {
        var url = LastOf(bytes, type.FindFieldByNumber(1)) is { } u ? Encoding.UTF8.GetString(bytes.Slice(u.Offset, u.Length)) : string.Empty;
        var payload = LastOf(bytes, type.FindFieldByNumber(2)) is { } p ? bytes.Slice(p.Offset, p.Length) : [];
        json.Writer.WriteStartObject();
        json.Writer.WriteString("@type", url);
        if (json.FindType(url[(url.LastIndexOf('/') + 1)..]) is not { } payloadType)
        {
            // A type the set does not hold: its bytes, so two different payloads still differ.
            json.Writer.WriteBase64String("value", payload);
        }
        else if (payloadType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal) && payloadType.FullName != "google.protobuf.Empty")
        {
            json.Writer.WritePropertyName("value");
            json.WriteNested(payload, payloadType, depth);
        }
        else
        {
            json.WriteMembers(payload, payloadType, depth + 1);
        }

        json.Writer.WriteEndObject();
    }

    private static string Timestamp(ReadOnlySpan<byte> bytes)
    {
        var (seconds, nanos) = SecondsAndNanos(bytes);
        if (nanos is < 0 or > 999_999_999 || seconds is < -62_135_596_800 or > 253_402_300_799)
        {
            throw new ProtobufFormatException("a google.protobuf.Timestamp out of range");
        }

        return Epoch.AddSeconds(seconds).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture) + Nanos(nanos) + "Z";
    }

    private static string Duration(ReadOnlySpan<byte> bytes)
    {
        var (seconds, nanos) = SecondsAndNanos(bytes);
        if ((seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0) || nanos is < -999_999_999 or > 999_999_999 || seconds is < -315_576_000_000 or > 315_576_000_000)
        {
            throw new ProtobufFormatException("a google.protobuf.Duration out of range or with mixed signs");
        }

        var sign = seconds < 0 || nanos < 0 ? "-" : string.Empty;
        return sign + Math.Abs(seconds).ToString(CultureInfo.InvariantCulture) + Nanos(Math.Abs(nanos)) + "s";
    }

    private static (long Seconds, int Nanos) SecondsAndNanos(ReadOnlySpan<byte> bytes)
    {
        long seconds = 0;
        var nanos = 0;
        var reader = new WireReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, value) = reader.ReadField();
            if (field == 1 && value.Type == WireType.Varint)
            {
                seconds = (long)value.Number;
            }
            else if (field == 2 && value.Type == WireType.Varint)
            {
                nanos = (int)value.Number;
            }
        }

        return (seconds, nanos);
    }

    private static string Nanos(int nanos) => nanos switch
    {
        0 => string.Empty,
        _ when nanos % 1_000_000 == 0 => "." + (nanos / 1_000_000).ToString("000", CultureInfo.InvariantCulture),
        _ when nanos % 1_000 == 0 => "." + (nanos / 1_000).ToString("000000", CultureInfo.InvariantCulture),
        _ => "." + nanos.ToString("000000000", CultureInfo.InvariantCulture),
    };

    private static string LowerCamel(string path)
    {
        var text = new StringBuilder(path.Length);
        var upper = false;
        foreach (var c in path)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            text.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return text.ToString();
    }

    private static WireValue? LastOf(ReadOnlySpan<byte> bytes, FieldDescriptor field)
    {
        var all = AllOf(bytes, field);
        return all.Count == 0 ? null : all[^1];
    }

    private static List<WireValue> AllOf(ReadOnlySpan<byte> bytes, FieldDescriptor field)
    {
        var expected = MessageJson.WireTypeOf(field.FieldType);
        var values = new List<WireValue>();
        var reader = new WireReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, value) = reader.ReadField();
            if (number == field.FieldNumber && value.Type == expected)
            {
                values.Add(value);
            }
        }

        return values;
    }
}
