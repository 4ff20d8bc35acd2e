using System.Globalization;

namespace Cutover.Kernel.Metrics;

/// <summary>
/// HTTP status codes from <paramref name="From"/> to <paramref name="To"/>, both included, as an
/// error policy lists them: a class (<c>5xx</c>), one code (<c>429</c>) or a range (<c>500-504</c>).
/// </summary>
/// <param name="From">The lowest code, at least <see cref="Lowest"/>.</param>
/// <param name="To">The highest code, at most <see cref="Highest"/>.</param>
public readonly record struct StatusRange(int From, int To)
{
    /// <summary>The lowest status code HTTP defines.</summary>
    public const int Lowest = 100;

    /// <summary>The highest status code HTTP defines.</summary>
    public const int Highest = 599;

    /// <summary>The forms <see cref="TryParse"/> accepts, for error messages.</summary>
    public const string AllowedForms = "a class such as 5xx (1xx to 5xx), a code such as 429, or a range such as 500-504";

    /// <summary>Every code of a class: <c>Class(5)</c> is 500-599.</summary>
    public static StatusRange Class(int digit) => new(digit * 100, (digit * 100) + 99);

    /// <summary>Reads "5xx", "429" or "500-504"; on failure <paramref name="problem"/> says what is wrong and how to write it.</summary>
    public static bool TryParse(string? text, out StatusRange range, out string problem)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        range = default;
        problem = string.Empty;
        if (trimmed.Length == 0)
        {
            problem = $"an empty entry; use {AllowedForms}";
            return false;
        }

        if (trimmed.Length == 3 && trimmed.EndsWith("xx", StringComparison.OrdinalIgnoreCase) && char.IsAsciiDigit(trimmed[0]))
        {
            var digit = trimmed[0] - '0';
            if (digit is < 1 or > 5)
            {
                problem = $"'{text}' is not a status class; use {AllowedForms}";
                return false;
            }

            range = Class(digit);
            return true;
        }

        var dash = trimmed.IndexOf('-', StringComparison.Ordinal);
        var first = dash < 0 ? trimmed : trimmed[..dash].Trim();
        var last = dash < 0 ? trimmed : trimmed[(dash + 1)..].Trim();
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            problem = $"'{text}' is not a status; use {AllowedForms}";
            return false;
        }

        if (from is < Lowest or > Highest || to is < Lowest or > Highest)
        {
            problem = $"'{text}' is outside {Lowest}..{Highest}, the status codes HTTP defines; use {AllowedForms}";
            return false;
        }

        if (from > to)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"'{text}' is a reversed range; write the lower code first ({to}-{from})");
            return false;
        }

        range = new StatusRange(from, to);
        return true;
    }
}
