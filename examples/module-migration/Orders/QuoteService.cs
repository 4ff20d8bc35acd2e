using Cutover.Client;
using Cutover.Client.Comparison;
using Cutover.Client.Running;
using Cutover.Kernel.Comparison;

namespace ModuleMigration.Orders;

/// <summary>
/// Quotes an order through the three module migrations. The control plane decides for each
/// module apart which implementation runs: legacy only, both with the new one checked against
/// legacy (shadow), the new one for a share of customers chosen by a hash of the customer id
/// (canary), or the new one only.
/// </summary>
public sealed class QuoteService(ICutoverClient cutover, ShippingFault fault)
{
    // Compared as JSON; which implementation served is expected to differ and is not compared.
    private static readonly RunOptions<ModuleResult> Options = new()
    {
        Comparison = ResultComparison<ModuleResult>.Json(new ComparisonRules([JsonPathPattern.Parse("$.engine")], 0, [])),
    };

    /// <summary>A quote for <paramref name="quantity"/> of <paramref name="sku"/> for customer number <paramref name="customer"/>.</summary>
    public Quote Quote(int customer, string sku, int quantity)
    {
        var key = $"c-{customer}";
        var price = Run(Modules.Pricing, key, () => Modules.LegacyPrice(sku, quantity), () => Modules.NewPrice(sku, quantity));
        var discount = Run(Modules.Discounts, key, () => Modules.LegacyDiscount(customer, price.Amount), () => Modules.NewDiscount(customer, price.Amount));
        var shipping = Run(Modules.Shipping, key, () => Modules.LegacyShipping(price.Amount - discount.Amount), () => Modules.NewShipping(price.Amount - discount.Amount, fault));
        return new Quote(key, sku, quantity, price, discount, shipping, price.Amount - discount.Amount + shipping.Amount);
    }

    private ModuleResult Run(string module, string customer, Func<ModuleResult> legacy, Func<ModuleResult> candidate) =>
        cutover.Run(module, legacy: legacy, candidate: candidate, stickyKey: customer, options: Options);
}

/// <summary>A quote, with each module's part and the implementation that computed it.</summary>
public sealed record Quote(string Customer, string Sku, int Quantity, ModuleResult Price, ModuleResult Discount, ModuleResult Shipping, decimal Total);
