using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Demo;

/// <summary>
/// The demo's two backends: a small orders API in its legacy version and its rewrite. The new
/// version answers the same questions in a slightly different shape, the way real rewrites do,
/// and both say who answered in an X-Served-By header so the split is visible with curl. Each
/// answer carries a fresh request id, the kind of noise shadow comparison learns to ignore.
/// </summary>
internal static class OrdersApi
{
    private static readonly (int Id, string Customer, decimal Total, string Status)[] Orders =
    [
        (1, "Ada Lovelace", 42.50m, "shipped"),
        (2, "Alan Turing", 17.00m, "pending"),
        (3, "Grace Hopper", 99.90m, "delivered"),
    ];

    public static async Task<WebApplication> StartAsync(bool rewrite, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var servedBy = rewrite ? "orders-v2 (candidate)" : "orders-v1 (legacy)";
        app.Use((context, next) =>
        {
            context.Response.Headers["X-Served-By"] = servedBy;
            return next(context);
        });
        app.MapGet("/", () => $"{servedBy}: try GET /orders");
        app.MapGet("/orders", () => Orders.Select(o => Shape(o, rewrite)));
        app.MapGet("/orders/{id:int}", (int id) =>
            Orders.Where(o => o.Id == id).Select(o => Shape(o, rewrite)).FirstOrDefault() is { } order
                ? Results.Ok(order)
                : Results.Problem($"There is no order {id}.", statusCode: 404, title: "Not Found"));
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static object Shape((int Id, string Customer, decimal Total, string Status) order, bool rewrite) => rewrite
        ? new { id = order.Id, customer = new { name = order.Customer }, total = new { amount = order.Total, currency = "EUR" }, status = order.Status, servedBy = "v2", requestId = Guid.NewGuid() }
        : new { id = order.Id, customer = order.Customer, total = order.Total, status = order.Status, servedBy = "v1", requestId = Guid.NewGuid() };
}
