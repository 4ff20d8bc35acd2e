using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cutover.Server.Admin;
using Cutover.Server.Hosting;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Rollout;

/// <summary>
/// A real proxy between two real backends, on a manual clock: the test sends user traffic, moves
/// the clock a second at a time and watches the plan move, so minutes of bake run in milliseconds.
/// A webhook receiver collects the events the plan publishes.
/// </summary>
internal sealed class RolloutHarness : IAsyncDisposable
{
    private const string Body = """{"order":7,"total":12.5}""";

    private int _user;

    private readonly StrongBox<bool> _candidateFails;

    private RolloutHarness(ScriptedBackend legacy, ScriptedBackend candidate, ScriptedBackend receiver, StrongBox<bool> candidateFails)
    {
        _candidateFails = candidateFails;
        Legacy = legacy;
        Candidate = candidate;
        Receiver = receiver;
    }

    /// <summary>When set, the candidate answers 503 to every request.</summary>
    public bool CandidateFails
    {
        get => Volatile.Read(ref _candidateFails.Value);
        set => Volatile.Write(ref _candidateFails.Value, value);
    }

    public ScriptedBackend Legacy { get; }

    public ScriptedBackend Candidate { get; }

    public ScriptedBackend Receiver { get; }

    public ManualTime Time { get; } = new();

    public ProxyUnderTest Proxy { get; private set; } = null!;

    public CutoverHostOptions Options => new()
    {
        Time = Time,
        LogLevel = LogLevel.Warning,
        RolloutTick = TimeSpan.FromMilliseconds(250),
        WebhookRetryDelay = TimeSpan.FromMilliseconds(10),
    };

    /// <summary>
    /// Starts the backends and Cutover on <paramref name="store"/> (a fresh SQLite file when null),
    /// with the migration "orders" following <paramref name="plan"/> (the YAML under <c>plan:</c>), or without a plan when it is null.
    /// </summary>
    public static async Task<RolloutHarness> StartAsync(string? plan, string mode = "legacy", double weight = 0, string? store = null)
    {
        var fails = new StrongBox<bool>();
        var legacy = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, Body));
        var candidate = await ScriptedBackend.StartAsync(context =>
        {
            if (Volatile.Read(ref fails.Value))
            {
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }

            return ScriptedBackend.Json(context, Body);
        });
        var receiver = await ScriptedBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        var topLevel = $"""
            notifications:
              webhooks:
                - url: {receiver.Url}/events
            """;
        var harness = new RolloutHarness(legacy, candidate, receiver, fails);
        harness.Proxy = await ProxyUnderTest.StartAsync(harness.Migration(plan, mode, weight), options: harness.Options, store: store, topLevel: topLevel);
        return harness;
    }

    /// <summary>
    /// The migration "orders" over this harness's backends, as an item of the migrations list;
    /// without a plan when <paramref name="plan"/> is null, and without a mode or weight when that is null.
    /// </summary>
    public string Migration(string? plan, string? mode, double? weight) => $$"""
          - name: orders
            match: { pathPrefix: /orders }
            legacy: {{Legacy.Url}}
            candidate: {{Candidate.Url}}
        {{(mode is null ? string.Empty : "    mode: " + mode)}}
        {{(weight is null ? string.Empty : "    weight: " + weight)}}
            stickyBy: header:X-User-Id
            checks: { health: { legacy: /orders/health, candidate: /orders/health } }
        {{(plan is null ? string.Empty : "    plan:\n" + string.Join('\n', plan.Split('\n').Select(l => "        " + l)))}}
        """;

    /// <summary>
    /// Applies the harness's config with <paramref name="plan"/> as the migration's plan (none when
    /// null), and a mode and weight only when given, as <c>cutover apply</c> does.
    /// </summary>
    public Task<HttpResponseMessage> ApplyAsync(string? plan, string? mode = null, double? weight = null) =>
        Proxy.ApplyAsync(Proxy.ConfigText(Migration(plan, mode, weight)), reason: "new plan", actor: "alice");

    /// <summary>The kinds of the events the webhook received so far, in order.</summary>
    public IReadOnlyList<string> EventKinds =>
    [
        .. Receiver.Seen.Select(s => JsonSerializer.Deserialize<JsonElement>(s.Body)).Select(e => e.GetProperty("kind").GetString()!),
    ];

    /// <summary>Sends <paramref name="requests"/> requests from different users, through <paramref name="replica"/> or else the first Cutover.</summary>
    public async Task SendTrafficAsync(int requests = 40, ProxyUnderTest? replica = null)
    {
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{i}");
            request.Headers.Add("X-User-Id", $"user-{Interlocked.Increment(ref _user)}");
            using var response = await (replica ?? Proxy).Proxy.SendAsync(request);
        }
    }

    /// <summary>Starts another Cutover on the same config, store and clock, as a second replica would run.</summary>
    public Task<ProxyUnderTest> StartReplicaAsync() => Proxy.StartReplicaAsync(Options);

    /// <summary>
    /// Sends traffic (through <paramref name="replica"/> if given) and moves the clock a second at a
    /// time until <paramref name="done"/> holds for the migration as <paramref name="replica"/> (or the
    /// first Cutover) shows it, failing after <paramref name="limit"/> of clock time. Returns the clock time it took.
    /// </summary>
    public async Task<TimeSpan> DriveUntilAsync(Func<MigrationView, bool> done, TimeSpan limit, int requestsPerSecond = 40, ProxyUnderTest? replica = null)
    {
        var start = Time.GetUtcNow();
        while (true)
        {
            var view = await (replica ?? Proxy).MigrationAsync("orders");
            if (done(view))
            {
                return Time.GetUtcNow() - start;
            }

            if (Time.GetUtcNow() - start > limit)
            {
                throw new TimeoutException($"After {limit} of clock time the migration is {Describe(view)}.");
            }

            await SendTrafficAsync(requestsPerSecond, replica);
            Time.Advance(TimeSpan.FromSeconds(1));
            await SettleAsync();
        }
    }

    /// <summary>Sends traffic and moves the clock a second at a time for <paramref name="duration"/> of clock time.</summary>
    public async Task DriveForAsync(TimeSpan duration, int requestsPerSecond = 10)
    {
        var end = Time.GetUtcNow() + duration;
        while (Time.GetUtcNow() < end)
        {
            await SendTrafficAsync(requestsPerSecond);
            Time.Advance(TimeSpan.FromSeconds(1));
            await SettleAsync();
        }
    }

    /// <summary>Lets the orchestrator finish the tick the last move of the clock released.</summary>
    public static Task SettleAsync() => Task.Delay(15);

    public async Task<HttpResponseMessage> PostAsync(string action, object? body = null) =>
        await Proxy.Admin.PostAsJsonAsync($"/api/migrations/orders/{action}", body ?? new { });

    public static string Describe(MigrationView view) =>
        $"mode={view.Mode} weight={view.Weight} plan={view.Plan?.Status} step={view.Plan?.Step} ({view.Plan?.Note})";

    /// <summary>Stops Cutover, lets <paramref name="down"/> pass on the clock, and starts it again on the same store.</summary>
    public async Task RestartAsync(TimeSpan down) =>
        Proxy = await Proxy.RestartAsync(options: Options, whileStopped: () => Time.Advance(down));

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Receiver.DisposeAsync();
        await Candidate.DisposeAsync();
        await Legacy.DisposeAsync();
    }
}
