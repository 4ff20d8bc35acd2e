using System.Diagnostics;
using System.Globalization;

namespace Cutover.Backfill.Leases;

/// <summary>
/// How a run names itself as a lease holder: <c>MACHINE:PID:RUN</c>. The machine and process id let
/// a later run on the same machine see that the holder is gone (killed, crashed, the machine
/// rebooted) and take the job over at once, instead of waiting out the lease's term; a holder on
/// another machine, or one whose process is still there, is waited for.
/// </summary>
internal static class RunHolder
{
    /// <summary>A new holder name for a run in this process.</summary>
    public static string New() => string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    /// <summary>True when <paramref name="holder"/> names a run on this machine whose process no longer exists.</summary>
    public static bool DiedHere(string holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var parts = holder.Split(':');
        return parts.Length == 3
            && string.Equals(parts[0], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
