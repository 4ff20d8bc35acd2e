using Microsoft.Extensions.Logging;

namespace Cutover.Server.Hosting;

/// <summary>
/// Leaves out the generic host's own report of a failed start ("Hosting failed to start" with a
/// 3 KB stack trace) until both listeners run: the exception goes to the caller of
/// <see cref="CutoverHost.StartAsync"/>, which reports it (the CLI in one line naming the address
/// and the fix), so the log would only say it again, unreadably. Once started, the host's warnings
/// and errors (a background service that failed) are logged as before.
/// </summary>
internal sealed class HostStartLog
{
    /// <summary>The category the generic host logs its start, stop and background service failures under.</summary>
    public const string Category = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    /// <summary>Both listeners run: from now on the host's own messages are logged.</summary>
    public void Started() => _started = true;

    /// <summary>Whether a message of the host's at <paramref name="level"/> is logged.</summary>
    public bool Logs(LogLevel level) => _started && level >= LogLevel.Warning;
}
