using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RpcFleet;

// One side of the fleet, all twelve services (and grpc.health.v1) over h2c:
//   dotnet rpc-fleet.dll --side legacy --urls http://127.0.0.1:5401
//   dotnet rpc-fleet.dll --side candidate --urls http://127.0.0.1:5402 [--fault Pricing]
// Or the fleet's clients, calling every service in turn through Cutover, counts printed every 10 s:
//   dotnet rpc-fleet.dll --calls http://127.0.0.1:8101 --rate 60
var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration["calls"] is { } calls)
{
    var rate = builder.Configuration.GetValue("rate", 60);
    if (!Uri.TryCreate(calls, UriKind.Absolute, out var address) || rate is < 1 or > 1000)
    {
        Console.Error.WriteLine("error: give --calls URL (Cutover's data plane, e.g. http://127.0.0.1:8101) and optionally --rate N (calls a second in all, 1..1000; 60 by default)");
        return 2;
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
    using var fleet = new FleetCalls(address);
    var load = fleet.RunAsync(rate, stop.Token);
    while (!load.IsCompleted)
    {
        await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(10), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        Console.WriteLine($"{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {fleet.Summary()}");
    }

    return 0;
}

var side = builder.Configuration["side"];
var faulty = builder.Configuration["fault"];
if (side is not ("legacy" or "candidate") || (faulty is not null && !Fleet.Services.Contains(faulty)))
{
    Console.Error.WriteLine($"error: give --side legacy or --side candidate, and optionally --fault SERVICE, one of {string.Join(", ", Fleet.Services)} (it then answers every call with UNAVAILABLE)");
    return 2;
}

// gRPC without TLS: HTTP/2 with prior knowledge (h2c) on every endpoint.
builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
builder.Services.AddSingleton(new FleetAnswers(side == "legacy" ? 1 : 2, faulty));
builder.Services.AddSingleton(new HealthService(faulty));
var app = builder.Build();
app.MapGrpcService<RecommendationsService>();
app.MapGrpcService<ReviewsService>();
app.MapGrpcService<NotificationsService>();
app.MapGrpcService<CatalogService>();
app.MapGrpcService<SearchService>();
app.MapGrpcService<PricingService>();
app.MapGrpcService<InventoryService>();
app.MapGrpcService<ShippingService>();
app.MapGrpcService<AccountsService>();
app.MapGrpcService<SessionsService>();
app.MapGrpcService<OrdersService>();
app.MapGrpcService<PaymentsService>();
app.MapGrpcService<HealthService>();
// What Cutover's pre-migration checks ask (checks.health): a plain GET, over h2c too.
app.MapGet("/health", () => Results.Ok(new { status = "ok", side }));
await app.RunAsync();
return 0;
