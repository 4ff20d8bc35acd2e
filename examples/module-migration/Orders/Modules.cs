namespace ModuleMigration.Orders;

/// <summary>
/// The three modules of the orders package, each with its legacy and its new implementation. Each
/// is a migration of its own in the control plane (<c>orders-pricing</c>, <c>orders-discounts</c>,
/// <c>orders-shipping</c>), so one can be rolled back while the others go on.
/// </summary>
public static class Modules
{
    /// <summary>The migrations, as named in cutover.yaml.</summary>
    public const string Pricing = "orders-pricing";

    /// <inheritdoc cref="Pricing"/>
    public const string Discounts = "orders-discounts";

    /// <inheritdoc cref="Pricing"/>
    public const string Shipping = "orders-shipping";

    private static readonly Dictionary<string, decimal> UnitPrices = new(StringComparer.Ordinal)
    {
        ["widget"] = 4.99m,
        ["gadget"] = 12.50m,
        ["cable"] = 2.25m,
    };

    /// <summary>Whether the catalogue has the item.</summary>
    public static bool Sells(string sku) => UnitPrices.ContainsKey(sku);

    /// <summary>Pricing, legacy: unit price times quantity.</summary>
    public static ModuleResult LegacyPrice(string sku, int quantity) => new(UnitPrices[sku] * quantity, "legacy");

    /// <summary>Pricing, new: the same figure, summed line by line as the new order service does: it never diverges.</summary>
    public static ModuleResult NewPrice(string sku, int quantity) =>
        new(Enumerable.Repeat(UnitPrices[sku], quantity).Sum(), "new");

    /// <summary>Discounts, legacy: 10% for every tenth customer (the loyalty tier).</summary>
    public static ModuleResult LegacyDiscount(int customer, decimal price) =>
        new(customer % 10 == 0 ? Math.Round(price * 0.10m, 2) : 0m, "legacy");

    /// <summary>
    /// Discounts, new: the loyalty tier, plus a 5% welcome discount legacy never gave, which the new
    /// rules give one customer in 40 by mistake. About 2.5% of quotes differ: enough for the 1%
    /// alert, not for the 5% rollback.
    /// </summary>
    public static ModuleResult NewDiscount(int customer, decimal price) =>
        new(customer % 10 == 0 ? Math.Round(price * 0.10m, 2) : customer % 40 == 7 ? Math.Round(price * 0.05m, 2) : 0m, "new");

    /// <summary>Shipping, legacy: 4.90, free from 50 euros.</summary>
    public static ModuleResult LegacyShipping(decimal price) => new(price >= 50m ? 0m : 4.90m, "legacy");

    /// <summary>Shipping, new: the same rule, unless a fault is injected (<see cref="ShippingFault"/>), when a share of quotes charge a euro too much.</summary>
    public static ModuleResult NewShipping(decimal price, ShippingFault fault) =>
        new((price >= 50m ? 0m : 4.90m) + (fault.Strikes() ? 1m : 0m), "new");
}
