using SdkBilling.Tax;

namespace SdkBilling.Invoices;

/// <summary>An invoice to price: whose it is (the sticky key), where the tax is due, and its lines.</summary>
/// <param name="CustomerId">The customer; a canary keeps each customer on one calculator.</param>
/// <param name="Country">Where the VAT is due (DE, FR or NL).</param>
/// <param name="Lines">What was sold.</param>
public sealed record InvoiceRequest(string? CustomerId, string? Country, IReadOnlyList<InvoiceLine>? Lines);

/// <summary>A priced invoice, as the endpoint answers.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Tax">The tax, with the calculator that worked it out.</param>
public sealed record PricedInvoice(string CustomerId, InvoiceTax Tax);
