using System.Text.Encodings.Web;
using System.Text.Json;
using Cutover.Cli.Text;
using Cutover.Kernel.Comparison;

namespace Cutover.Cli.Output;

/// <summary>
/// A JSON body indented one value per line, each line knowing the path of its value in the syntax
/// the comparison reports (<c>$.items[0].price</c>), so the side-by-side view can mark a line by
/// what the comparison said about its path rather than by its text. Every control and invisible
/// character in a string is written as an escape (<see cref="JsonOutput.EscapeInvisible"/>), so a
/// difference there still shows and nothing reaches the terminal raw.
/// </summary>
internal static class JsonLines
{
    private static readonly JsonSerializerOptions Relaxed = new()
    {
        // Shown to a person, not embedded in HTML: keep non-ASCII text and quotes as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The lines of <paramref name="body"/> when it is a JSON object or array; null for anything else, including JSON cut short.</summary>
    public static IReadOnlyList<JsonLine>? Of(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var start = body.AsSpan().TrimStart();
        if (start.IsEmpty || (start[0] != '{' && start[0] != '['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var lines = new List<JsonLine>();
            Value(document.RootElement, string.Empty, 0, string.Empty, [], lines);
            return lines;
        }
        catch (JsonException)
        {
            // Cut short, or not JSON after all.
            return null;
        }
    }

    private static void Value(JsonElement value, string name, int depth, string comma, List<PathSegment> path, List<JsonLine> lines)
    {
        var indent = new string(' ', depth * 2);
        var (open, close, count) = value.ValueKind switch
        {
            JsonValueKind.Object => ("{", "}", value.EnumerateObject().Count()),
            JsonValueKind.Array => ("[", "]", value.GetArrayLength()),
            _ => (string.Empty, string.Empty, 0),
        };
        if (count == 0)
        {
            // An empty object or array keys as an opening line, so it sits beside the other side's filled one.
            Add(lines, indent + name + (open.Length > 0 ? open + close : Serialize(value)) + comma, path, open.Length > 0 ? open : "=");
            return;
        }

        Add(lines, indent + name + open, path, open);
        var i = 0;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                path.Add(PathSegment.Property(property.Name));
                Value(property.Value, Serialize(property.Name) + ": ", depth + 1, ++i < count ? "," : string.Empty, path, lines);
                path.RemoveAt(path.Count - 1);
            }
        }
        else
        {
            foreach (var element in value.EnumerateArray())
            {
                path.Add(PathSegment.Element(i));
                Value(element, string.Empty, depth + 1, ++i < count ? "," : string.Empty, path, lines);
                path.RemoveAt(path.Count - 1);
            }
        }

        Add(lines, indent + close + comma, path, close);
    }

    private static void Add(List<JsonLine> lines, string text, List<PathSegment> path, string role) =>
        lines.Add(new JsonLine(TerminalText.Clean(JsonOutput.EscapeInvisible(text))!, [.. path], role + JsonPathPattern.Format(path)));

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Relaxed);
}
