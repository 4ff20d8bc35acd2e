using System.Globalization;
using EnhancedSearch;

// One product search, version 1 (legacy) or 2 (enhanced, with its data file), or the shoppers:
//   dotnet enhanced-search.dll --version 1 --urls http://127.0.0.1:5301
//   dotnet enhanced-search.dll --version 2 --data popularity.json --urls http://127.0.0.1:5302
//   dotnet enhanced-search.dll --shoppers http://127.0.0.1:8097 [--users 200] [--rate 40]
var builder = WebApplication.CreateBuilder(args);
// A line per search would bury the start-up and the faults in the logs.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var settings = builder.Configuration;
if (settings["shoppers"] is { } proxy)
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => (e.Cancel, _) = (true, stop.CancelAsync());
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
    await new Shoppers(new Uri(proxy), settings.GetValue("users", 200), settings.GetValue("rate", 40)).RunAsync(stop.Token);
    return 0;
}

var version = settings.GetValue<int?>("version");
var data = settings["data"];
if (version is not (1 or 2) || (version == 2 && string.IsNullOrWhiteSpace(data)))
{
    Console.Error.WriteLine("error: give --version 1, or --version 2 with --data PATH (the enhanced search's popularity file, created when missing), or --shoppers URL");
    return 2;
}

var popularity = version == 2 ? await Popularity.LoadAsync(data!) : null;
var enhanced = popularity is null ? null : new EnhancedSearchEngine(popularity);
var faults = new Faults();
var app = builder.Build();

app.MapGet("/health", () => Results.Ok(new { status = "ok", version, searchesKept = popularity?.Total }));
app.MapGet("/search", async (string? q, HttpResponse response, CancellationToken cancellationToken) =>
{
    response.Headers["Search-Version"] = version.Value.ToString(CultureInfo.InvariantCulture);
    // The legacy search scans its database's products table; the enhanced one searches in memory.
    var delayMs = version == 1 ? 4 : faults.DelayMs;
    if (delayMs > 0)
    {
        await Task.Delay(delayMs, cancellationToken);
    }

    if (string.IsNullOrWhiteSpace(q))
    {
        return Results.Problem(statusCode: 400, title: "No query", detail: "Search with ?q=WORDS, e.g. /search?q=sofa.");
    }

    return Results.Ok(enhanced?.Answer(q) ?? LegacySearch.Answer(q));
});

// The bug the walkthrough can switch on in the enhanced search: every answer late.
app.MapPost("/faults", (int delayMs) =>
{
    faults.DelayMs = delayMs;
    return Results.Ok(new { delayMs });
});

var saving = popularity?.KeepSavedAsync(app.Lifetime.ApplicationStopping) ?? Task.CompletedTask;
await app.RunAsync();
await saving;
return 0;
