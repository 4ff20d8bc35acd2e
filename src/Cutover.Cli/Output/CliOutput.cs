using Spectre.Console;

namespace Cutover.Cli.Output;

/// <summary>
/// Where a command writes: plain text and tables to <see cref="Out"/>, one-line errors to
/// <see cref="Error"/>. Injected so tests read exactly what a user sees.
/// </summary>
internal sealed class CliOutput
{
    public CliOutput(TextWriter output, TextWriter error)
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
            Console.Profile.Width = 160;
        }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Whether a person is watching a terminal (rather than a pipe, a file or a test), so output may be redrawn in place.</summary>
    public bool IsTerminal { get; }

    /// <summary>Spectre's console over <see cref="Out"/>, for tables.</summary>
    public IAnsiConsole Console { get; }
}
