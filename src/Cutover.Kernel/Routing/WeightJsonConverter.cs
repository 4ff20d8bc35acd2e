using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cutover.Kernel.Routing;

/// <summary>
/// Reads and writes a <see cref="Weight"/> as the plain JSON number of its percentage, so the admin
/// API, <c>/api/events</c>, the store and <c>--json</c> output keep the numbers they had as doubles;
/// a number outside 0..100 is refused on reading.
/// </summary>
public sealed class WeightJsonConverter : JsonConverter<Weight>
{
    /// <inheritdoc/>
    public override Weight Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var percent = reader.GetDouble();
        return Weight.TryFromPercent(percent, out var weight)
            ? weight
            : throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"A weight is a percentage between 0 and 100, not {percent}."));
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Weight value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Percent);
    }
}
