namespace ModuleMigration.Orders;

/// <summary>What one module answers for a quote: an amount, and which implementation computed it (left out of the comparison).</summary>
/// <param name="Amount">The module's amount in euros.</param>
/// <param name="Engine"><c>legacy</c> or <c>new</c>.</param>
public sealed record ModuleResult(decimal Amount, string Engine);
