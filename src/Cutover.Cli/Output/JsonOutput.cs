using System.Globalization;
using System.Text;
using System.Text.Json;
using Cutover.Cli.AdminApi;
using Cutover.Cli.Text;

namespace Cutover.Cli.Output;

/// <summary>
/// What <c>--json</c> prints: the values as they are, outside text included, but with nothing in it
/// a terminal would act on. The admin API's relaxed encoder (<see cref="AdminClient.Json"/>, chosen
/// so that times and bodies read as they are) already writes control characters as <c>\u001B</c>
/// and the like, but writes bidirectional controls and other invisible characters as they are;
/// those are escaped here too, so <c>--json</c> in a terminal shows every character of a reason or
/// a body without letting it rearrange the line.
/// </summary>
internal static class JsonOutput
{
    /// <summary><paramref name="value"/> as the admin API's indented JSON.</summary>
    public static string Serialize<T>(T value) => Serialize(value, AdminClient.Json);

    /// <summary><paramref name="value"/> as JSON written with <paramref name="options"/>.</summary>
    public static string Serialize<T>(T value, JsonSerializerOptions options) => EscapeInvisible(JsonSerializer.Serialize(value, options));

    /// <summary>
    /// <paramref name="json"/> with every invisible character (<see cref="TerminalText.Invisible"/>)
    /// written as a <c>\uXXXX</c> escape. Outside its strings JSON holds only ASCII, so such a
    /// character can only sit in a string, where the escape means the same character.
    /// </summary>
    public static string EscapeInvisible(string json)
    {
        var next = json.AsSpan().IndexOfAny(TerminalText.Invisible);
        if (next < 0)
        {
            return json;
        }

        var escaped = new StringBuilder(json.Length + 16);
        var at = 0;
        while (next >= 0)
        {
            escaped.Append(json, at, next).Append(CultureInfo.InvariantCulture, $"\\u{(int)json[at + next]:X4}");
            at += next + 1;
            next = json.AsSpan(at).IndexOfAny(TerminalText.Invisible);
        }

        return escaped.Append(json, at, json.Length - at).ToString();
    }
}
