using System.Globalization;

namespace Cutover.Core.Analysis;

/// <summary>One side of a condition: a number, a metric, or a metric times a number.</summary>
internal sealed class Operand
{
    private readonly string? _factorText;

    private Operand(string text, double factor, string? factorText, ConditionMetric? metric)
    {
        Text = text;
        Factor = factor;
        _factorText = factorText;
        Metric = metric;
    }

    /// <summary>The side as normalized text: "0.01", "candidate.p99" or "1.1 * legacy.p99" (the number first, however it was written).</summary>
    public string Text { get; }

    /// <summary>The number itself, or what the metric is multiplied by (1 when no factor was written).</summary>
    public double Factor { get; }

    /// <summary>The metric; null for a number.</summary>
    public ConditionMetric? Metric { get; }

    /// <summary>The smallest and largest values the side can take: a number's own value twice, a metric's range times the factor.</summary>
    public (double Low, double High) Range => Metric is null ? (Factor, Factor) : Metric.RangeTimes(Factor);

    /// <summary>A number, written as <paramref name="text"/>.</summary>
    public static Operand Number(string text, double value) => new(text, value, null, null);

    /// <summary>A metric, multiplied by the number written as <paramref name="factorText"/> when there is one.</summary>
    public static Operand Of(ConditionMetric metric, string? factorText, double factor) =>
        new(factorText is null ? metric.Name : $"{factorText} * {metric.Name}", factor, factorText, metric);

    /// <summary>The side's value in the input's window, or why there is none worth judging on.</summary>
    public MetricReading Read(AnalysisInput input)
    {
        if (Metric is null)
        {
            return MetricReading.Known(Factor);
        }

        var reading = Metric.Read(input);
        return reading.Value is { } value ? MetricReading.Known(Factor * value) : reading;
    }

    /// <summary>The side with its value, for a verdict's detail: "0.05", "candidate.errorRate 0.062", "2 * legacy.p99 (40.2)".</summary>
    public string Describe(double value)
    {
        if (Metric is null)
        {
            return Text;
        }

        return _factorText is null ? $"{Text} {Format(value)}" : $"{Text} ({Format(value)})";
    }

    /// <summary>
    /// A measured value for people: four significant digits, enough to set it against a threshold,
    /// but whole numbers from 1000 on, so request counts never turn into exponents.
    /// </summary>
    private static string Format(double value)
    {
        if (value == 0)
        {
            return "0"; // also for -0, which a negative factor makes of a zero
        }

        return Math.Abs(value) >= 1000
            ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
