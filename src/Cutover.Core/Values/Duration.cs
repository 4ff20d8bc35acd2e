using System.Globalization;
using System.Text;

namespace Cutover.Core.Values;

/// <summary>Durations as users write them: "250ms", "30s", "5m", "1h", or combinations like "1m30s".</summary>
public static class Duration
{
    /// <summary>The forms allowed, for error messages.</summary>
    public const string AllowedForms = "a number with a unit: ms, s, m or h, e.g. 500ms, 30s, 5m, 1h30m";

    /// <summary>Parses a duration; false when the text is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.Trim().AsSpan();
        var total = 0.0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            var units = digits;
            while (units < span.Length && char.IsAsciiLetter(span[units]))
            {
                units++;
            }

            if (digits == 0 || units == digits
                || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            double? milliseconds = span[digits..units] switch
            {
                "ms" => value,
                "s" => value * 1_000,
                "m" => value * 60_000,
                "h" => value * 3_600_000,
                _ => null,
            };
            if (milliseconds is null)
            {
                return false;
            }

            total += milliseconds.Value;
            span = span[units..];
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>
    /// Writes a duration the way users write them ("500ms", "5s", "1.5s", "1m30s", "2h"), so a
    /// message shows a configured time in the form it was given in.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.###}ms");
        }

        var text = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (duration.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }

        var seconds = duration.TotalSeconds - (hours * 3600) - (duration.Minutes * 60);
        if (seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds:0.###}s");
        }

        return text.ToString();
    }
}
