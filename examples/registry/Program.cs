using Registry;

// One registry, version 1 (the old one) or 2 (the new one), on its own SQLite file:
//   dotnet run --project examples/registry -- --version 1 --db registry-v1.db --urls http://127.0.0.1:5201
var builder = WebApplication.CreateBuilder(args);
var version = builder.Configuration.GetValue<int?>("version");
var path = builder.Configuration["db"];
if (version is not (1 or 2) || string.IsNullOrWhiteSpace(path))
{
    Console.Error.WriteLine("error: give --version 1 or --version 2, and --db PATH (the registry's SQLite file, created when missing)");
    return 2;
}

var store = new RegistryStore(version.Value, path);
await store.InitializeAsync();
var lost = new LostLookups();
var app = builder.Build();

app.MapGet("/health", () => Results.Ok(new { status = "ok", version }));
app.MapGet("/services/{name}", async (string name, HttpResponse response) =>
{
    response.Headers["Registry-Version"] = version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    return !lost.Strikes() && await store.FindAsync(name) is { } registration
        ? Results.Ok(registration)
        : Results.Problem(statusCode: 404, title: "Unknown service", detail: $"No service '{name}' is registered.");
});

// The bug the walkthrough can switch on in the new registry: a share of lookups it cannot find.
app.MapPost("/faults", (double lose) =>
{
    lost.Rate = lose;
    return Results.Ok(new { lose = lost.Rate });
});

await app.RunAsync();
return 0;
