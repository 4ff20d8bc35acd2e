using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cutover.Server.Admin;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
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
    private readonly StrongBox<string?> _candidateFailsUnder;
    private readonly IReadOnlyList<string> _migrations;

    private RolloutHarness(
        ScriptedBackend legacy, ScriptedBackend candidate, ScriptedBackend receiver, StrongBox<bool> candidateFails, StrongBox<string?> candidateFailsUnder, IReadOnlyList<string> migrations)
    {
        _candidateFails = candidateFails;
        _candidateFailsUnder = candidateFailsUnder;
        _migrations = migrations;
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

    /// <summary>When set, the candidate answers 503 to every request under this path (one migration's, such as /payments).</summary>
    public string? CandidateFailsUnder
    {
        get => Volatile.Read(ref _candidateFailsUnder.Value);
        set => Volatile.Write(ref _candidateFailsUnder.Value, value);
    }

    public ScriptedBackend Legacy { get; }

    /// <summary>Holds legacy's answer to every path with <c>/held</c> in it until set: a long request still on legacy.</summary>
    public TaskCompletionSource LegacyHeld { get; private init; } = null!;

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
    /// Starts with one migration, orders, following <paramref name="plan"/> (the YAML of its plan
    /// section; none when null), on <paramref name="store"/> (a fresh SQLite file when null).
    /// </summary>
    public static Task<RolloutHarness> StartAsync(string? plan, string mode = "legacy", double weight = 0, string? store = null) =>
        StartFleetAsync([("orders", Keys(plan, mode, weight))], store);

    /// <summary>
    /// Starts with several migrations on the same two backends, each given by its name (it serves
    /// /NAME and its health checks ask /NAME/health) and its other keys, as YAML written at the
    /// migration's level (mode, group, plan…), on <paramref name="store"/> (a fresh SQLite file when
    /// null), with <paramref name="topLevel"/> added at the file's level. Traffic goes to every one of them.
    /// </summary>
    public static async Task<RolloutHarness> StartFleetAsync(IReadOnlyList<(string Name, string Keys)> migrations, string? store = null, string? topLevel = null)
    {
        var fails = new StrongBox<bool>();
        var failsUnder = new StrongBox<string?>();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var legacy = await ScriptedBackend.StartAsync(async context =>
        {
            if (context.Request.Path.Value?.Contains("/held", StringComparison.Ordinal) == true)
            {
                await held.Task.WaitAsync(context.RequestAborted);
            }

            await ScriptedBackend.Json(context, Body);
        });
        var candidate = await ScriptedBackend.StartAsync(context =>
        {
            if (Volatile.Read(ref fails.Value) || (Volatile.Read(ref failsUnder.Value) is { } prefix && context.Request.Path.StartsWithSegments(prefix, StringComparison.Ordinal)))
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
        var notifications = $"""
            notifications:
              webhooks:
                - url: {receiver.Url}/events
            """;
        var harness = new RolloutHarness(legacy, candidate, receiver, fails, failsUnder, [.. migrations.Select(m => m.Name)]) { LegacyHeld = held };
        harness.Proxy = await ProxyUnderTest.StartAsync(
            string.Join('\n', migrations.Select(m => harness.Item(m.Name, m.Keys))), options: harness.Options, store: store,
            topLevel: topLevel is null ? notifications : $"{notifications}\n{topLevel}");
        return harness;
    }

    /// <summary>
    /// The migration "orders" over this harness's backends, as an item of the migrations list;
    /// without a plan when <paramref name="plan"/> is null, and without a mode or weight when that is null.
    /// </summary>
    public string Migration(string? plan, string? mode, double? weight) => Item("orders", Keys(plan, mode, weight));

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

    /// <summary>Sends <paramref name="requests"/> requests from different users to each migration, through <paramref name="replica"/> or else the first Cutover.</summary>
    public async Task SendTrafficAsync(int requests = 40, ProxyUnderTest? replica = null)
    {
        for (var i = 0; i < requests; i++)
        {
            foreach (var migration in _migrations)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/{migration}/{i}");
                request.Headers.Add("X-User-Id", $"user-{Interlocked.Increment(ref _user)}");
                using var response = await (replica ?? Proxy).Proxy.SendAsync(request);
            }
        }
    }

    /// <summary>Starts another Cutover on the same config, store and clock, as a second replica would run.</summary>
    public Task<ProxyUnderTest> StartReplicaAsync() => Proxy.StartReplicaAsync(Options);

    /// <summary>
    /// Sends traffic (through <paramref name="replica"/> if given) and moves the clock a second at a
    /// time until <paramref name="done"/> holds for the migration (orders unless <paramref name="migration"/>
    /// names another) as <paramref name="replica"/> (or the first Cutover) shows it, failing after
    /// <paramref name="limit"/> of clock time. Returns the clock time it took.
    /// </summary>
    public async Task<TimeSpan> DriveUntilAsync(
        Func<MigrationView, bool> done, TimeSpan limit, int requestsPerSecond = 40, ProxyUnderTest? replica = null, string migration = "orders")
    {
        var start = Time.GetUtcNow();
        while (true)
        {
            var view = await (replica ?? Proxy).MigrationAsync(migration);
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

    public async Task<HttpResponseMessage> PostAsync(string action, object? body = null, string migration = "orders") =>
        await Proxy.Admin.PostAsJsonAsync($"/api/migrations/{migration}/{action}", body ?? new { });

    public static string Describe(MigrationView view) =>
        $"mode={view.Mode} weight={view.Weight} plan={view.Plan?.Status} step={view.Plan?.Step} ({view.Plan?.Note})";

    /// <summary>Stops Cutover, lets <paramref name="down"/> pass on the clock, and starts it again on the same store.</summary>
    public async Task RestartAsync(TimeSpan down) =>
        Proxy = await Proxy.RestartAsync(options: Options, whileStopped: () => Time.Advance(down));

    /// <summary>A migration called <paramref name="name"/> over this harness's backends, with <paramref name="keys"/> at its level.</summary>
    private string Item(string name, string keys) => $$"""
          - name: {{name}}
            match: { pathPrefix: /{{name}} }
            legacy: {{Legacy.Url}}
            candidate: {{Candidate.Url}}
            stickyBy: header:X-User-Id
            checks: { health: { legacy: /{{name}}/health, candidate: /{{name}}/health } }
        {{Indent(keys, 4)}}
        """;

    private static string Keys(string? plan, string? mode, double? weight) => string.Join('\n', new[]
    {
        mode is null ? null : $"mode: {mode}",
        weight is null ? null : $"weight: {weight}",
        plan is null ? null : $"plan:\n{Indent(plan, 2)}",
    }.OfType<string>());

    private static string Indent(string yaml, int spaces) => string.Join('\n', yaml.Split('\n').Select(l => new string(' ', spaces) + l));

    public async ValueTask DisposeAsync()
    {
        LegacyHeld.TrySetResult();
        await Proxy.DisposeAsync();
        await Receiver.DisposeAsync();
        await Candidate.DisposeAsync();
        await Legacy.DisposeAsync();
    }
}
