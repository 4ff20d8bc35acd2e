namespace Cutover.Cli.Invocation;

/// <summary>What the process exit code tells a script.</summary>
internal static class ExitCodes
{
    /// <summary>It worked.</summary>
    public const int Ok = 0;

    /// <summary>Cutover refused or failed the request (unknown migration, store down, ...).</summary>
    public const int Failed = 1;

    /// <summary>The command line or the config file is wrong.</summary>
    public const int BadInput = 2;

    /// <summary>The admin API could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>
    /// The command worked and found a problem: a pre-migration check failed (<c>cutover check</c>).
    /// Its own code, so a deploy script can tell "not ready" from "could not ask".
    /// </summary>
    public const int ChecksFailed = 4;

    /// <summary>
    /// The command worked and found the data differ: <c>cutover backfill verify</c> found rows
    /// missing, extra or different in the target (after <c>--repair</c>: rows it could not fix).
    /// </summary>
    public const int Mismatched = 5;
}
