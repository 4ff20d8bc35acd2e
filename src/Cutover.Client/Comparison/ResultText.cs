using System.Text.Json;

namespace Cutover.Client.Comparison;

/// <summary>How a result is written in a divergence sample unless the call says otherwise.</summary>
internal static class ResultText
{
    /// <summary>
    /// The result's JSON, which shows its data whatever its type; its <c>ToString()</c> when it
    /// cannot be serialized. Written with <paramref name="serializer"/>, by default the web's
    /// camelCase (<see cref="JsonSerializerOptions.Web"/>), the same as a JSON comparison of the
    /// results, so the sample's field names are the ones its differing paths name (<c>"vat"</c> and <c>$.vat</c>).
    /// </summary>
    public static string Of<T>(T value, JsonSerializerOptions? serializer = null)
    {
        try
        {
            return JsonSerializer.Serialize(value, serializer ?? JsonSerializerOptions.Web);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return value?.ToString() ?? "null";
        }
    }
}
