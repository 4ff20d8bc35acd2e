using Cutover.Core.Values;
using Cutover.Kernel.Metrics;
using Cutover.Server.Control;

namespace Cutover.Server.Admin;

/// <summary>The <c>window</c> query parameter of the metrics API: a duration from 10 seconds (one bucket) to the hour kept in memory.</summary>
internal static class MetricsWindowParameter
{
    /// <summary>The window when none is asked for.</summary>
    public const string Default = "5m";

    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    /// <summary>The window's length; a problem naming the value and the allowed range otherwise.</summary>
    public static TimeSpan Parse(string? window)
    {
        if (!Duration.TryParse(window ?? Default, out var length))
        {
            throw new ControlException(400, "Invalid window", $"window={window} is not a duration; give {Duration.AllowedForms}.");
        }

        if (length < MetricsHistory.BucketLength || length > Longest)
        {
            throw new ControlException(400, "Window out of range", $"window={window} is outside 10s..1h: metrics are kept in 10-second buckets for the last hour.");
        }

        return length;
    }
}
