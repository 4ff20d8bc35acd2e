namespace Cutover.Cli.AdminApi;

/// <summary>The admin API did not answer at all; the message says where the CLI looked and how to point it elsewhere, or what else to fix (<paramref name="advice"/>).</summary>
internal sealed class AdminUnreachableException(Uri admin, string why, string? advice = null) : Exception(
    $"cannot reach the Cutover admin API at {admin} ({why}). {advice ?? "Start Cutover with `cutover serve` or `cutover demo`, or point --admin or CUTOVER_ADMIN at its admin address."}")
{
    /// <summary>What went wrong without the advice, for a command that goes on trying (<c>status --watch</c>).</summary>
    public string Problem { get; } = $"cannot reach the Cutover admin API at {admin} ({why})";
}
