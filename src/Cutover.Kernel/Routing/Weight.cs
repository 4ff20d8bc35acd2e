using System.Globalization;
using System.Text.Json.Serialization;

namespace Cutover.Kernel.Routing;

/// <summary>
/// A migration's canary weight: the percentage of users sent to the candidate, always within
/// 0..100, so code holding one never checks the range again. Decimals are kept as given; the
/// sticky bucket count (<see cref="StickyBucket.Count"/>) gives them a resolution of
/// <see cref="Resolution"/>. In JSON it is the plain number (<c>"weight": 12.5</c>), the same
/// number a <see cref="double"/> wrote.
/// </summary>
[JsonConverter(typeof(WeightJsonConverter))]
public readonly record struct Weight : IComparable<Weight>, ISpanFormattable
{
    /// <summary>The smallest weight step that changes the candidate's share: one sticky bucket, 0.01%.</summary>
    public const double Resolution = 100.0 / StickyBucket.Count;

    /// <summary>No user on the candidate; the weight of a new migration and of a rollback.</summary>
    public static readonly Weight Zero;

    /// <summary>Every user on the candidate.</summary>
    public static readonly Weight Full = new(100);

    private Weight(double percent) => Percent = percent;

    /// <summary>The percentage, in 0..100.</summary>
    public double Percent { get; }

    /// <summary>
    /// How many of the <see cref="StickyBucket.Count"/> sticky buckets go to the candidate: the
    /// percentage to the nearest hundredth (half away from zero). Worked out once per change by the
    /// proxy's model and the SDK's setting, so a request only compares its bucket to it.
    /// </summary>
    public int CandidateBuckets => (int)Math.Round(Percent * (StickyBucket.Count / 100), MidpointRounding.AwayFromZero);

    /// <summary>Whether <paramref name="percent"/> is a weight: a finite number from 0 to 100, both included.</summary>
    public static bool IsPercentage(double percent) => percent is >= 0 and <= 100;

    /// <summary>The weight of <paramref name="percent"/>; false when it is outside 0..100 or not a number.</summary>
    public static bool TryFromPercent(double percent, out Weight weight)
    {
        weight = IsPercentage(percent) ? new Weight(percent) : default;
        return IsPercentage(percent);
    }

    /// <summary>The weight of <paramref name="percent"/>, which must be in 0..100: for values already checked, such as a stored state.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 0..100 or not a number.</exception>
    public static Weight FromPercent(double percent) => TryFromPercent(percent, out var weight)
        ? weight
        : throw new ArgumentOutOfRangeException(nameof(percent), percent, "A weight is a percentage between 0 and 100.");

    /// <summary>
    /// The weight nearest to <paramref name="percent"/> (below 0 is 0, above 100 is 100): for a
    /// number from a peer of another version, where following the nearest share beats dropping the state.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not a number, so nothing is nearest.</exception>
    public static Weight Clamp(double percent) => double.IsNaN(percent)
        ? throw new ArgumentOutOfRangeException(nameof(percent), percent, "A weight is a percentage between 0 and 100.")
        : new(Math.Clamp(percent, 0, 100));

    /// <summary>Reads a weight written as a number in the invariant culture (<c>25</c>, <c>12.5</c>); false when it is not one or is outside 0..100.</summary>
    public static bool TryParse(string? text, out Weight weight)
    {
        weight = default;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && TryFromPercent(percent, out weight);
    }

    /// <summary>The percentage, whose range is already known; for arithmetic and output that take a number.</summary>
    public static implicit operator double(Weight weight) => weight.Percent;

    /// <summary>The weight of <paramref name="percent"/>, as <see cref="FromPercent"/>: explicit, because a number out of 0..100 throws.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 0..100 or not a number.</exception>
    public static explicit operator Weight(double percent) => FromPercent(percent);

    /// <summary>Whether <paramref name="left"/> sends fewer users to the candidate.</summary>
    public static bool operator <(Weight left, Weight right) => left.Percent < right.Percent;

    /// <summary>Whether <paramref name="left"/> sends more users to the candidate.</summary>
    public static bool operator >(Weight left, Weight right) => left.Percent > right.Percent;

    /// <summary>Whether <paramref name="left"/> sends no more users to the candidate.</summary>
    public static bool operator <=(Weight left, Weight right) => left.Percent <= right.Percent;

    /// <summary>Whether <paramref name="left"/> sends no fewer users to the candidate.</summary>
    public static bool operator >=(Weight left, Weight right) => left.Percent >= right.Percent;

    /// <inheritdoc/>
    public int CompareTo(Weight other) => Percent.CompareTo(other.Percent);

    /// <summary>The percentage as the invariant culture writes it: <c>25</c>, <c>12.5</c>.</summary>
    public override string ToString() => Percent.ToString(CultureInfo.InvariantCulture);

    /// <summary>The percentage in a numeric format such as <c>0.##</c>, in the invariant culture unless a provider is given.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => Percent.ToString(format, formatProvider ?? CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Percent.TryFormat(destination, out charsWritten, format, provider ?? CultureInfo.InvariantCulture);
}
