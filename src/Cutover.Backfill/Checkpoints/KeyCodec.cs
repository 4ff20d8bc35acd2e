using System.Globalization;
using System.Text.Json;

namespace Cutover.Backfill.Checkpoints;

/// <summary>
/// The checkpoint's last key as JSON text: an array of <c>[type, text]</c> pairs. The type is
/// kept so a resumed run binds each value as the type it was read as (a UUID compared with a UUID
/// column, not with text), and the text stays readable in <c>status</c> and a database shell.
/// </summary>
public static class KeyCodec
{
    /// <summary>The key as stored.</summary>
    public static string Encode(IReadOnlyList<object?> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return JsonSerializer.Serialize(key.Select(Pair).ToArray());
    }

    /// <summary>A key stored by <see cref="Encode"/>.</summary>
    public static object?[] Decode(string json)
    {
        var pairs = JsonSerializer.Deserialize<string?[][]>(json) ?? throw new FormatException("the stored key is empty");
        return [.. pairs.Select(pair => pair is [{ } type, var text] ? Value(type, text) : throw new FormatException($"'{json}' is not a stored key"))];
    }

    /// <summary>The key for people: "(42, 'abc')".</summary>
    public static string Display(string? json) => json is null
        ? "-"
        : "(" + string.Join(", ", Decode(json).Select(v => v switch
        {
            null => "null",
            string text => $"'{text}'",
            _ => Pair(v)[1],
        })) + ")";

    private static string?[] Pair(object? value) => value switch
    {
        null or DBNull => ["null", null],
        long or int or short or byte or sbyte or uint or ushort => ["integer", Convert.ToString(value, CultureInfo.InvariantCulture)],
        ulong number => ["decimal", number.ToString(CultureInfo.InvariantCulture)],
        decimal number => ["decimal", number.ToString(CultureInfo.InvariantCulture)],
        double number => ["double", number.ToString("R", CultureInfo.InvariantCulture)],
        float number => ["double", ((double)number).ToString("R", CultureInfo.InvariantCulture)],
        string text => ["text", text],
        Guid guid => ["uuid", guid.ToString("D")],
        DateTime time => ["timestamp", time.ToString("O", CultureInfo.InvariantCulture)],
        DateTimeOffset time => ["timestamptz", time.ToString("O", CultureInfo.InvariantCulture)],
        DateOnly date => ["date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
        bool flag => ["boolean", flag ? "true" : "false"],
        byte[] bytes => ["bytes", Convert.ToBase64String(bytes)],
        _ => throw new NotSupportedException($"A key value of type {value.GetType().Name} cannot be checkpointed; use key columns of numbers, text, UUIDs, dates or times."),
    };

    private static object? Value(string type, string? text) => (type, text) switch
    {
        ("null", _) => null,
        (_, null) => throw new FormatException($"the stored key has no value for a {type}"),
        ("integer", _) => long.Parse(text, CultureInfo.InvariantCulture),
        ("decimal", _) => decimal.Parse(text, CultureInfo.InvariantCulture),
        ("double", _) => double.Parse(text, CultureInfo.InvariantCulture),
        ("text", _) => text,
        ("uuid", _) => Guid.Parse(text, CultureInfo.InvariantCulture),
        ("timestamp", _) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        ("timestamptz", _) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        ("date", _) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        ("boolean", _) => text == "true",
        ("bytes", _) => Convert.FromBase64String(text),
        _ => throw new FormatException($"the stored key has a value of unknown type '{type}'"),
    };
}
