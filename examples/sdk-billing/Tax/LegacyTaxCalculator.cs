namespace SdkBilling.Tax;

/// <summary>
/// The calculator being replaced: it rounds the VAT of every line to the cent and adds the
/// rounded amounts, so an invoice of many lines can be a cent off the tax on its total.
/// </summary>
public sealed class LegacyTaxCalculator
{
    public Task<InvoiceTax> CalculateAsync(string country, IReadOnlyList<InvoiceLine> lines, CancellationToken cancellationToken)
    {
        var rate = VatRates.For(country);
        var net = lines.Sum(l => l.Net);
        var vat = lines.Sum(l => Math.Round(l.Net * rate, 2, MidpointRounding.AwayFromZero));
        return Task.FromResult(new InvoiceTax(net, vat, net + vat, "legacy"));
    }
}
