using Cutover.Client;
using Cutover.Client.FeatureManagement;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using SdkBilling.Invoices;
using SdkBilling.Tax;

var builder = WebApplication.CreateBuilder(args);

// The migration's mode and weight come from the Cutover control plane named in appsettings.json
// ("Cutover" section); the calls made through it are reported back to it.
builder.Services.AddCutover(builder.Configuration);
builder.Services.AddFeatureManagement().AddCutoverMigrations();
builder.Services.AddSingleton<LegacyTaxCalculator>();
builder.Services.AddSingleton<NewTaxCalculator>();
builder.Services.AddSingleton<InvoicePricing>();

var app = builder.Build();

app.MapPost("/invoices", async (InvoiceRequest request, InvoicePricing pricing, CancellationToken ct) =>
{
    if (string.IsNullOrWhiteSpace(request.CustomerId) || request.Lines is not { Count: > 0 } lines)
    {
        return Results.Problem(statusCode: 400, title: "Invalid invoice", detail: "Give a customerId and at least one line ({\"description\": ..., \"net\": ...}).");
    }

    if (request.Country is not { } country || !VatRates.Knows(country))
    {
        return Results.Problem(statusCode: 400, title: "Invalid invoice", detail: $"country '{request.Country}' has no VAT rate; use DE, FR or NL.");
    }

    return Results.Ok(await pricing.PriceAsync(request.CustomerId, country, lines, ct));
});

// Code that already uses Microsoft.FeatureManagement reads the migration as a flag: on exactly
// for the customers whose invoices the new calculator prices.
app.MapGet("/customers/{customerId}/tax-engine", async (string customerId, IFeatureManager features) =>
    Results.Ok(new
    {
        customerId,
        engine = await features.IsEnabledAsync(InvoicePricing.Migration, new TargetingContext { UserId = customerId }) ? "new" : "legacy",
    }));

app.Run();
