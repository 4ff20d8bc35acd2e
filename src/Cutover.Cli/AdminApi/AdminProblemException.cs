using Cutover.Cli.Output;
using Cutover.Cli.Text;

namespace Cutover.Cli.AdminApi;

/// <summary>
/// The admin API refused a call, with its problem details. The title and detail come from the
/// server and may quote what someone sent it, and every command prints the message as it is, so
/// both are cleaned for the terminal here, once (<see cref="TerminalText"/>).
/// </summary>
internal sealed class AdminProblemException(int status, string title, string detail) : Exception(TerminalText.CleanLines(detail))
{
    public int Status { get; } = status;

    public string Title { get; } = TerminalText.Clean(title);
}
