using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cutover.Cli.Output;

/// <summary>
/// A stored body as lines to show: JSON objects and arrays indented one value per line (so a line
/// diff points at the field that changed, not at one long line), other text as it is. Tabs and
/// control characters are replaced so they cannot break the columns or the terminal.
/// </summary>
internal static class BodyLines
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Shown to a person, not embedded in HTML: keep non-ASCII text and quotes as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The lines of <paramref name="body"/> as shown; none for an empty body.</summary>
    public static IReadOnlyList<string> Of(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            return [];
        }

        var text = PrettyJson(body) ?? body;
        return text.ReplaceLineEndings("\n").Split('\n').Select(Printable).ToList();
    }

    private static string? PrettyJson(string body)
    {
        var start = body.AsSpan().TrimStart();
        if (start.IsEmpty || (start[0] != '{' && start[0] != '['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            // Cut short, or not JSON after all: shown as the text it is.
            return null;
        }
    }

    private static string Printable(string line)
    {
        if (!line.Any(char.IsControl))
        {
            return line;
        }

        var text = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (c == '\t')
            {
                text.Append("    ");
            }
            else
            {
                text.Append(char.IsControl(c) ? '\uFFFD' : c);
            }
        }

        return text.ToString();
    }
}
