using Cutover.Cli.Output;

namespace Cutover.Cli.AdminApi;

/// <summary>
/// The admin API did not answer at all; the message says where the CLI looked and how to point it elsewhere.
/// Why it failed can quote what the other end sent (an HTTP client's "invalid status line '…'"), so it is
/// cleaned for the terminal (<see cref="TerminalText"/>).
/// </summary>
internal sealed class AdminUnreachableException(Uri admin, string why) : Exception(
    $"cannot reach the Cutover admin API at {admin} ({TerminalText.Clean(why)}). Start Cutover with `cutover serve` or `cutover demo`, or point --admin or CUTOVER_ADMIN at its admin address.")
{
    /// <summary>What went wrong without the advice, for a command that goes on trying (<c>status --watch</c>).</summary>
    public string Problem { get; } = $"cannot reach the Cutover admin API at {admin} ({TerminalText.Clean(why)})";
}
