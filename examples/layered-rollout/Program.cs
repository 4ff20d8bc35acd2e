using System.Globalization;
using LayeredRollout;
using LayeredRollout.Candidate;
using LayeredRollout.Stores;
using LayeredRollout.Users;

// The profiles service, in two versions, and its users:
//   profiles --version 1 --db legacy.db --urls http://127.0.0.1:5211
//   profiles --version 2 --legacy-db legacy.db --db profiles-v2.db --control http://127.0.0.1:8112 --urls http://127.0.0.1:5212
//   profiles users --target http://127.0.0.1:8111 --rate 60
if (args is ["users", .. var rest])
{
    var settings = new ConfigurationBuilder().AddCommandLine(rest).Build();
    if (!Uri.TryCreate(settings["target"], UriKind.Absolute, out var target)
        || !int.TryParse(settings["rate"] ?? "60", NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate is < 1 or > 1000)
    {
        Console.Error.WriteLine("error: give --target URL (where the users send their requests, e.g. http://127.0.0.1:8111) and optionally --rate N (requests a second, 1 to 1000; 60 by default)");
        return 2;
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
    await new SimulatedUsers(target, rate, Console.Out).RunAsync(stop.Token);
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
var version = builder.Configuration.GetValue<int?>("version");
var db = builder.Configuration["db"];
var legacyDb = builder.Configuration["legacy-db"];
var control = builder.Configuration["control"];
if (version is not (1 or 2) || string.IsNullOrWhiteSpace(db)
    || (version == 2 && (string.IsNullOrWhiteSpace(legacyDb) || !Uri.TryCreate(control, UriKind.Absolute, out _))))
{
    Console.Error.WriteLine("error: give --version 1 --db LEGACY.db (the legacy service on its table), or --version 2 --legacy-db LEGACY.db --db NEW.db --control ADMIN-URL " +
        "(the candidate: on the legacy table until Cutover's plan at ADMIN-URL passes its point of no return, then on the new table in NEW.db); the files are created when missing");
    return 2;
}

var legacy = new LegacyProfiles(version == 1 ? db : legacyDb!);
await legacy.InitializeAsync();
var stores = new StoreChoice(legacy, legacy);
if (version == 2)
{
    var replacement = new NewProfiles(db);
    await replacement.InitializeAsync();
    stores = new StoreChoice(legacy, replacement);
    builder.Services.AddSingleton(stores);
    builder.Services.AddHostedService(s => new PointOfNoReturnWatch(stores, new Uri(control!), builder.Configuration["migration"] ?? "profiles", s.GetRequiredService<ILogger<PointOfNoReturnWatch>>()));
}

var faults = new Faults();
var app = builder.Build();
var versionText = version.Value.ToString(CultureInfo.InvariantCulture);

app.MapGet("/health", () => Results.Ok(new { status = "ok", version }));
app.MapGet("/profiles/{id:long}", async (long id, HttpResponse response) =>
{
    var store = Answering(response);
    return faults.Strikes() ? Failure()
        : await store.FindAsync(id) is { } profile ? Results.Ok(profile) : Unknown(id);
});
app.MapPut("/profiles/{id:long}", async (long id, ProfileChange change, HttpResponse response) =>
{
    var store = Answering(response);
    if (faults.Strikes())
    {
        return Failure();
    }

    if (string.IsNullOrWhiteSpace(change.Name) || string.IsNullOrWhiteSpace(change.Email))
    {
        return Results.Problem(statusCode: 400, title: "Incomplete profile", detail: "Give both name and email, e.g. {\"name\": \"Ada King\", \"email\": \"ada@example.com\"}.");
    }

    var profile = new Profile(id, change.Name.Trim(), change.Email.Trim().ToLowerInvariant());
    return await store.SaveAsync(profile) ? Results.Ok(profile) : Unknown(id);
});

// Which table this version uses now, and how many profiles each holds: the walkthrough shows the switch and the restore with it.
app.MapGet("/store", async () => Results.Ok(new
{
    version,
    @using = stores.Current.Name,
    legacyRows = await stores.Legacy.CountAsync(),
    newRows = version == 2 ? await stores.Replacement.CountAsync() : (long?)null,
}));

// The bug the walkthrough can switch on in the candidate: a share of profile requests answered 500.
app.MapPost("/faults", (double fail) =>
{
    faults.Rate = fail;
    return Results.Ok(new { fail = faults.Rate });
});

await app.RunAsync();
return 0;

IProfileStore Answering(HttpResponse response)
{
    var store = stores.Current;
    response.Headers["Profiles-Version"] = versionText;
    response.Headers["Profiles-Store"] = store.Name;
    return store;
}

static IResult Failure() => Results.Problem(statusCode: 500, title: "Internal error", detail: "The candidate's bug (POST /faults) struck this request.");

static IResult Unknown(long id) => Results.Problem(statusCode: 404, title: "Unknown user", detail: $"No profile for user {id}.");

/// <summary>The body of <c>PUT /profiles/{id}</c>.</summary>
internal sealed record ProfileChange(string? Name, string? Email);
