using System.Text.Json;

namespace Cutover.Client.Reporting;

/// <summary>How a result is written in a divergence sample unless the call says otherwise.</summary>
internal static class ResultText
{
    /// <summary>The result's JSON, which shows its data whatever its type; its <c>ToString()</c> when it cannot be serialized.</summary>
    public static string Of<T>(T value)
    {
        try
        {
            return JsonSerializer.Serialize(value);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return value?.ToString() ?? "null";
        }
    }
}
