namespace SdkBilling.Tax;

/// <summary>
/// The tax of one invoice, as either calculator works it out. A record, so two calculations are
/// compared by value; <see cref="Engine"/> says which calculator served it and is left out of
/// the comparison.
/// </summary>
/// <param name="Net">The sum of the lines before tax.</param>
/// <param name="Vat">The value-added tax.</param>
/// <param name="Total">What the customer pays.</param>
/// <param name="Engine">Which calculator worked it out: <c>legacy</c> or <c>new</c>.</param>
public sealed record InvoiceTax(decimal Net, decimal Vat, decimal Total, string Engine);

/// <summary>One line of an invoice.</summary>
/// <param name="Description">What was sold.</param>
/// <param name="Net">Its price before tax.</param>
public sealed record InvoiceLine(string Description, decimal Net);

/// <summary>The VAT rates by country, which both calculators share.</summary>
public static class VatRates
{
    private static readonly Dictionary<string, decimal> Rates = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DE"] = 0.19m,
        ["FR"] = 0.20m,
        ["NL"] = 0.21m,
    };

    /// <summary>The rate of <paramref name="country"/>; an unknown country is the caller's mistake, not a tax of zero.</summary>
    public static decimal For(string country) => Rates.TryGetValue(country, out var rate)
        ? rate
        : throw new ArgumentException($"No VAT rate for country '{country}'; use one of {string.Join(", ", Rates.Keys)}.", nameof(country));

    /// <summary>Whether <paramref name="country"/> has a rate.</summary>
    public static bool Knows(string country) => Rates.ContainsKey(country);
}
