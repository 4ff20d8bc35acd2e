using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Core.Security;

namespace Cutover.Cli.AdminApi;

/// <summary>
/// The admin API did not answer as the admin API; the message says where the CLI looked and how to
/// point it elsewhere, or what else to fix. Why it failed can quote what the other end sent (an HTTP
/// client's "invalid status line '…'"), so it is cleaned for the terminal (<see cref="TerminalText"/>).
/// </summary>
internal sealed class AdminUnreachableException : Exception
{
    private const string DefaultAdvice = "Start Cutover with `cutover serve` or `cutover demo`, or point --admin or CUTOVER_ADMIN at its admin address.";

    /// <summary>Nothing answered at <paramref name="admin"/>, for the reason given; <paramref name="advice"/> replaces the default advice.</summary>
    public AdminUnreachableException(Uri admin, string why, string? advice = null)
        : this(
            $"cannot reach the Cutover admin API at {admin} ({TerminalText.Clean(why)}). {advice ?? DefaultAdvice}",
            $"cannot reach the Cutover admin API at {admin} ({TerminalText.Clean(why)})")
    {
    }

    private AdminUnreachableException(string message, string problem)
        : base(message)
    {
        Problem = problem;
    }

    /// <summary>What went wrong without the advice, for a command that goes on trying (<c>status --watch</c>).</summary>
    public string Problem { get; }

    /// <summary>Something answered at <paramref name="admin"/>, but without the admin API's marker: the data plane, most likely.</summary>
    public static AdminUnreachableException NotAdmin(Uri admin)
    {
        var problem = $"{admin} answered, but not as the Cutover admin API (the answer has no {AdminMarker.Header} header)";
        return new(
            $"{problem}: it looks like Cutover's data plane (the config's 'listen', which forwards whatever it gets to a backend) or another service. " +
            $"Point --admin or CUTOVER_ADMIN at the admin API's address (the config's 'admin'; {Core.Configuration.CutoverConfig.DefaultAdmin} by default).",
            problem);
    }
}
