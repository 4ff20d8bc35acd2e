using System.Text.Json;
using Cutover.Client;
using Microsoft.AspNetCore.Mvc;
using ModuleMigration.Alerts;
using ModuleMigration.Orders;

var builder = WebApplication.CreateBuilder(args);

// Each module's mode and weight come from the Cutover control plane named in appsettings.json
// ("Cutover" section); the calls made through it, and what the shadow runs found, are reported back.
builder.Services.AddCutover(builder.Configuration);
builder.Services.AddSingleton<ShippingFault>();
builder.Services.AddSingleton<QuoteService>();
builder.Services.AddSingleton<AlertInbox>();

var app = builder.Build();

app.MapGet("/quotes/{customer:int}", (int customer, string? sku, int? quantity, QuoteService quotes) =>
{
    var item = sku ?? "widget";
    if (!Modules.Sells(item) || quantity is < 1 or > 1000)
    {
        return Results.Problem(statusCode: 400, title: "Invalid quote", detail: "sku is widget, gadget or cable; quantity is 1 to 1000.");
    }

    return Results.Ok(quotes.Quote(customer, item, quantity ?? 1));
});

// The bug the walkthrough switches on to show an automatic rollback of one module.
app.MapPost("/faults/shipping", (double rate, ShippingFault fault) =>
{
    fault.Rate = rate;
    return Results.Ok(new { shippingFaultRate = fault.Rate });
});

// Cutover's webhook (cutover.yaml, notifications) posts the plans' events here.
app.MapPost("/alerts", (JsonElement body, AlertInbox inbox) => inbox.Receive(body) ? Results.Accepted() : Results.BadRequest())
    .WithMetadata(new RequestSizeLimitAttribute(64 * 1024));
app.MapGet("/alerts", (AlertInbox inbox) => Results.Ok(inbox.List()));

app.Run();
