namespace Cutover.Core.Analysis;

/// <summary>A metric read from a window: its value, or why there is none worth judging on.</summary>
/// <param name="Value">The value; null when the data does not suffice.</param>
/// <param name="Missing">Why <paramref name="Value"/> is null, as the end of "inconclusive: …"; null when there is a value.</param>
internal readonly record struct MetricReading(double? Value, string? Missing)
{
    /// <summary>A value, or <paramref name="missing"/> when it is null.</summary>
    public static MetricReading Of(double? value, string missing) => value is null ? new(null, missing) : new(value, null);

    /// <summary>A value that is always there.</summary>
    public static MetricReading Known(double value) => new(value, null);

    /// <summary>No value, for the reason given.</summary>
    public static MetricReading None(string missing) => new(null, missing);
}
