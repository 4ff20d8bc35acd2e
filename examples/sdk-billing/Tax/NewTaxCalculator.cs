namespace SdkBilling.Tax;

/// <summary>
/// The replacement: the VAT of the invoice's total, rounded once, as the tax office computes it.
/// Where the legacy calculator's per-line rounding adds up differently, the two disagree by a
/// cent: the divergence the shadow run is there to find before customers see it.
/// </summary>
public sealed class NewTaxCalculator
{
    public Task<InvoiceTax> CalculateAsync(string country, IReadOnlyList<InvoiceLine> lines, CancellationToken cancellationToken)
    {
        var net = lines.Sum(l => l.Net);
        var vat = Math.Round(net * VatRates.For(country), 2, MidpointRounding.AwayFromZero);
        return Task.FromResult(new InvoiceTax(net, vat, net + vat, "new"));
    }
}
