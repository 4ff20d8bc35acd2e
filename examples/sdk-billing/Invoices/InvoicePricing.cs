using Cutover.Client;
using Cutover.Client.Comparison;
using Cutover.Client.Running;
using Cutover.Kernel.Comparison;
using SdkBilling.Tax;

namespace SdkBilling.Invoices;

/// <summary>
/// Prices invoices through the <c>billing-tax</c> migration: the control plane's mode and weight
/// decide whether the legacy calculator, the new one, or both (shadow) run, and the customer id
/// keeps a customer on one side of a canary.
/// </summary>
public sealed class InvoicePricing(ICutoverClient cutover, LegacyTaxCalculator legacy, NewTaxCalculator candidate)
{
    /// <summary>The migration's name in the control plane's config.</summary>
    public const string Migration = "billing-tax";

    // Compared as JSON, so a divergence names the paths that differ ($.vat, $.total); which
    // calculator served is expected to differ and is not compared.
    private static readonly RunOptions<InvoiceTax> Options = new()
    {
        Comparison = ResultComparison<InvoiceTax>.Json(new ComparisonRules([JsonPathPattern.Parse("$.engine")], 0, [])),
    };

    public async Task<PricedInvoice> PriceAsync(string customerId, string country, IReadOnlyList<InvoiceLine> lines, CancellationToken cancellationToken)
    {
        var tax = await cutover.RunAsync(
            Migration,
            legacy: ct => legacy.CalculateAsync(country, lines, ct),
            candidate: ct => candidate.CalculateAsync(country, lines, ct),
            stickyKey: customerId,
            options: Options,
            cancellationToken: cancellationToken);
        return new PricedInvoice(customerId, tax);
    }
}
