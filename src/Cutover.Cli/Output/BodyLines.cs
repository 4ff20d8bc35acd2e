using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cutover.Cli.Output;

/// <summary>
/// A stored body as lines to show: JSON objects and arrays indented one value per line (so a line
/// diff points at the field that changed, not at one long line), other text as it is. A body is a
/// backend's (or a client's) text, so it is cleaned for the terminal (<see cref="TerminalText"/>):
/// in JSON every control and invisible character is written as an escape, so a difference there
/// still shows; in other text escape sequences and invisible characters are removed.
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

        return TerminalText.CleanLines(PrettyJson(body) ?? body).Split('\n');
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
            return JsonOutput.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            // Cut short, or not JSON after all: shown as the text it is.
            return null;
        }
    }
}
