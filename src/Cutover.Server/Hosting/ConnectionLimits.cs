using System.Globalization;
using Cutover.Server.Settings;

namespace Cutover.Server.Hosting;

/// <summary>
/// How many connections each listener takes at once, so a flood of idle or slow clients is
/// refused at the door instead of pinning every file descriptor: past the limit Kestrel accepts
/// a connection and closes it at once, and the store, the backends and the admin API still get
/// the descriptors they need. The data plane's default follows the process's open-file limit
/// (<c>ulimit -n</c>): each client connection may hold a backend connection too, and plain and
/// upgraded (WebSocket) connections are limited apart, so the default is a quarter of what is
/// left after <see cref="Reserved"/> descriptors kept for the store, shadow copies, the admin API
/// and the runtime.
/// </summary>
internal sealed record ConnectionLimits(int DataPlane, int Admin, TimeSpan RequestHeadersTimeout, string DataPlaneSource)
{
    /// <summary>Descriptors the default keeps out of the data plane's reach.</summary>
    public const int Reserved = 512;

    /// <summary>The data plane's default where the open-file limit cannot be read (not Linux) or is unlimited.</summary>
    public const int Fallback = 4096;

    /// <summary>The least the derived default allows, so a tiny open-file limit still serves.</summary>
    public const int Least = 16;

    private const string ProcLimits = "/proc/self/limits";

    /// <summary>The host's limits, with the data plane's derived from <paramref name="openFiles"/> unless set; throws naming every bad setting.</summary>
    public static ConnectionLimits Of(CutoverHostOptions options, long? openFiles)
    {
        var (derived, source) = Derived(openFiles);
        var problems = new List<string>();
        if (options.MaxConnections is < 1)
        {
            problems.Add($"{nameof(CutoverHostOptions)}.{nameof(CutoverHostOptions.MaxConnections)} is {options.MaxConnections}: it must be at least 1; leave it unset for the default ({derived} here, {source})");
        }

        if (options.MaxAdminConnections < 1)
        {
            problems.Add($"{nameof(CutoverHostOptions)}.{nameof(CutoverHostOptions.MaxAdminConnections)} is {options.MaxAdminConnections}: it must be at least 1 (the default is {CutoverHostOptions.DefaultMaxAdminConnections})");
        }

        if (options.RequestHeadersTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(CutoverHostOptions)}.{nameof(CutoverHostOptions.RequestHeadersTimeout)} is {options.RequestHeadersTimeout}: it must be more than zero (the default is {CutoverHostOptions.DefaultRequestHeadersTimeout.TotalSeconds:0} s)");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        return options.MaxConnections is { } set
            ? new ConnectionLimits(set, options.MaxAdminConnections, options.RequestHeadersTimeout, "set by the host")
            : new ConnectionLimits(derived, options.MaxAdminConnections, options.RequestHeadersTimeout, source);
    }

    /// <summary>This process's soft open-file limit, or null where it cannot be read or is unlimited.</summary>
    public static long? OpenFiles() => File.Exists(ProcLimits) ? OpenFilesIn(File.ReadAllText(ProcLimits)) : null;

    /// <summary>The soft limit on the "Max open files" line of a <c>/proc/PID/limits</c> text.</summary>
    public static long? OpenFilesIn(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }

    private static (int Limit, string Source) Derived(long? openFiles) => openFiles is { } files
        ? ((int)Math.Clamp((files - Reserved) / 4, Least, int.MaxValue), $"a quarter of the open-file limit {files} less {Reserved}")
        : (Fallback, "the open-file limit is unknown or unlimited");
}
