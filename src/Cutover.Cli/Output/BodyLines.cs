using Cutover.Cli.Text;

namespace Cutover.Cli.Output;

/// <summary>
/// A stored body as lines to show: JSON objects and arrays indented one value per line
/// (<see cref="JsonLines"/>), other text as it is. A body is a backend's (or a client's) text, so
/// it is cleaned for the terminal (<see cref="TerminalText"/>): in JSON every control and
/// invisible character is written as an escape, so a difference there still shows; in other text
/// escape sequences and invisible characters are removed.
/// </summary>
internal static class BodyLines
{
    /// <summary>The lines of <paramref name="body"/> as shown; none for an empty body.</summary>
    public static IReadOnlyList<string> Of(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            return [];
        }

        return JsonLines.Of(body) is { } json ? json.Select(l => l.Text).ToList() : TerminalText.CleanLines(body)!.Split('\n');
    }
}
