using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Where a command writes: plain text and tables to <see cref="Out"/>, one-line errors to
/// <see cref="Error"/>. Injected so tests read exactly what a user sees.
/// </summary>
internal sealed class CliOutput
{
    // The width Spectre lays out what is not fitted here (the side-by-side bodies of `diff`) in a pipe.
    private const int PipeWidth = 160;

    /// <summary>Output to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <param name="output">Standard output, or a writer a test reads.</param>
    /// <param name="error">Standard error, or a writer a test reads.</param>
    /// <param name="width">
    /// Lay the output out for a terminal this many cells wide, as a test of a narrow terminal needs;
    /// null to decide by <paramref name="output"/>: the console's own width when it is a terminal,
    /// plain lines for a pipe, a file or any other writer.
    /// </param>
    public CliOutput(TextWriter output, TextWriter error, int? width = null)
    {
        Out = output;
        Error = error;
        var interactive = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        IsTerminal = interactive;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            Console.Profile.Width = width ?? PipeWidth;
        }

        Width = interactive ? Console.Profile.Width : width;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Whether a person is watching a terminal (rather than a pipe, a file or a test), so output may be redrawn in place.</summary>
    public bool IsTerminal { get; }

    /// <summary>
    /// The cells a line may take in the terminal being written to, which tables and sentences fit;
    /// null when the output is not a terminal, so tables are plain rows and sentences stay whole lines.
    /// </summary>
    public int? Width { get; }

    /// <summary>Spectre's console over <see cref="Out"/>, for colour and live progress.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>
    /// Writes a sentence (already cleaned for the terminal): broken at spaces to fit a terminal, so no
    /// word is split across lines; one line in a pipe, so <c>grep</c> finds it whole.
    /// </summary>
    public void WriteText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Width is not { } width)
        {
            Out.WriteLine(text);
            return;
        }

        foreach (var line in TextFit.Wrap(text, width))
        {
            Out.WriteLine(line);
        }
    }

    /// <summary>
    /// What a command that changes state prints: with <c>--json</c> (<paramref name="json"/>) the
    /// result as JSON, for a script to read the state it left; otherwise <paramref name="text"/>, one
    /// sentence for people (already cleaned for the terminal).
    /// </summary>
    public Task WriteResultAsync<T>(bool json, T result, string text) =>
        Out.WriteLineAsync(json ? JsonOutput.Serialize(result) : text);
}
