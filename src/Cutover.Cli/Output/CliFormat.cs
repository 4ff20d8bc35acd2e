using System.Globalization;
using Cutover.Core.Values;
using Cutover.Kernel.Comparison;

namespace Cutover.Cli.Output;

/// <summary>How numbers and times read in tables, the same in every command.</summary>
internal static class CliFormat
{
    /// <summary>Shown where there is no value yet, so an empty cell is never mistaken for zero.</summary>
    public const string None = "—";

    /// <summary>A fraction as a percentage with at most two decimals; a rate too small to show is "&lt;0.01%" rather than a misleading "0%".</summary>
    public static string Percent(double fraction) => fraction is > 0 and < 0.0001
        ? "<0.01%"
        : string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.##}%");

    /// <summary>A share with what it is a share of, such as "2.5% of 480", so a rate over few pairs is not overrated.</summary>
    public static string Share(double fraction, long of) => string.Create(CultureInfo.InvariantCulture, $"{Percent(fraction)} of {of}");

    /// <summary>A count of rows, "1 row" or "1,200 rows".</summary>
    public static string Rows(long count) => Count(count, "row");

    /// <summary>A count with its noun, "1 source row" or "1,200 source rows", so a message never says "1 rows".</summary>
    public static string Count(long count, string noun) =>
        count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}s");

    /// <summary>"differs" for one, "differ" for any other count.</summary>
    public static string Differ(long count) => count == 1 ? "differs" : "differ";

    /// <summary>A time in UTC, to the second.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A time span in seconds, to the second, the way durations are written in config files ("45s", "1m30s", "2h5m").</summary>
    public static string Elapsed(double seconds) =>
        seconds < 1 ? "0s" : Duration.Format(TimeSpan.FromSeconds(Math.Floor(seconds)));

    /// <summary>How a path differed, in words.</summary>
    public static string Kind(DifferenceKind kind) => kind switch
    {
        DifferenceKind.ValueChanged => "value changed",
        DifferenceKind.TypeChanged => "type changed",
        DifferenceKind.Missing => "missing in candidate",
        DifferenceKind.Added => "added by candidate",
        _ => kind.ToString(),
    };
}
