using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Core.Rollout;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Notifications;

/// <summary>
/// Rollout events published through the running host's <see cref="IRolloutEventSink"/> and
/// delivered to real Kestrel receivers on loopback. Retries wait 10 ms, 20 ms ... instead of
/// seconds (<see cref="CutoverHostOptions.WebhookRetryDelay"/>).
/// </summary>
public sealed class WebhookTests
{
    private const string Migrations = """
          - { name: orders, match: { pathPrefix: /orders }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
          - { name: users, match: { pathPrefix: /users }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
        """;

    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 15, 0, 250, TimeSpan.Zero);

    private static readonly CutoverHostOptions Fast = new() { LogLevel = LogLevel.Error, WebhookRetryDelay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task Publish_Event_ReachesTheReceiverAsCutoverEventV1WithTheConfiguredHeaders()
    {
        await using var receiver = await ScriptedBackend.StartAsync(_ => Task.CompletedTask);
        await using var proxy = await StartAsync($$"""    - { url: "{{receiver.Url}}/hooks/cutover?token=abc", headers: { Authorization: "Bearer s3cret" } }""");

        proxy.Host.Events.Publish(new RolloutEvent(RolloutEventKind.RolledBack, "orders", At, "cutover",
            "orders rolled back: candidate.errorRate 0.31 > 0.05 for 1m", "mode=legacy weight=0", 3, 7, new JsonObject { ["errorRate"] = 0.31 }));

        var seen = await OneAsync(receiver);
        Assert.Equal(("POST", "/hooks/cutover?token=abc"), (seen.Method, seen.Target));
        Assert.Equal("application/json; charset=utf-8", seen.Headers["Content-Type"]);
        Assert.Equal("Bearer s3cret", seen.Headers["Authorization"]);
        Assert.Equal("rolled-back", seen.Headers["X-Cutover-Event"]);
        Assert.Equal("Cutover", seen.Headers["User-Agent"]);
        using var body = JsonDocument.Parse(seen.Body);
        var root = body.RootElement;
        Assert.Equal(
            ["schema", "id", "kind", "migration", "time", "actor", "summary", "state", "step", "stepCount", "evidence"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("cutover.event/v1", root.GetProperty("schema").GetString());
        Assert.Equal(seen.Headers["X-Cutover-Event-Id"], root.GetProperty("id").GetString());
        Assert.Matches("^[0-9a-f]{32}$", root.GetProperty("id").GetString());
        Assert.Equal("rolled-back", root.GetProperty("kind").GetString());
        Assert.Equal("orders", root.GetProperty("migration").GetString());
        Assert.Equal("2026-11-22T09:15:00.250Z", root.GetProperty("time").GetString());
        Assert.Equal("cutover", root.GetProperty("actor").GetString());
        Assert.Equal("orders rolled back: candidate.errorRate 0.31 > 0.05 for 1m", root.GetProperty("summary").GetString());
        Assert.Equal("mode=legacy weight=0", root.GetProperty("state").GetString());
        Assert.Equal((3, 7), (root.GetProperty("step").GetInt32(), root.GetProperty("stepCount").GetInt32()));
        Assert.Equal(0.31, root.GetProperty("evidence").GetProperty("errorRate").GetDouble());
        await MetricsShowAsync(proxy,
            "cutover_webhook_info{webhook=\"0\",host=\"127.0.0.1\",format=\"json\"} 1",
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"delivered\"} 1",
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"failed\"} 0",
            "cutover_webhook_retries_total{webhook=\"0\"} 0",
            "cutover_webhook_queued{webhook=\"0\"} 0");
    }

    [Fact]
    public async Task Publish_SlackWebhook_GetsAnIncomingWebhookText()
    {
        await using var receiver = await ScriptedBackend.StartAsync(_ => Task.CompletedTask);
        await using var proxy = await StartAsync($$"""    - { url: "{{receiver.Url}}/services/T0/B0/x", format: slack }""");

        proxy.Host.Events.Publish(Event(RolloutEventKind.RolledBack, "orders", "orders rolled back: candidate.errorRate 0.31 > 0.05 for 1m"));

        using var body = JsonDocument.Parse((await OneAsync(receiver)).Body);
        Assert.Equal("""{"text":"*orders* rolled back: candidate.errorRate 0.31 &gt; 0.05 for 1m\nmode=legacy weight=0, step 3 of 7, by cutover"}""", body.RootElement.GetRawText());
    }

    [Fact]
    public async Task Publish_SeveralWebhooks_EachGetsOnlyTheKindsAndMigrationsItAskedFor()
    {
        await using var rollbacks = await ScriptedBackend.StartAsync(_ => Task.CompletedTask);
        await using var users = await ScriptedBackend.StartAsync(_ => Task.CompletedTask);
        await using var proxy = await StartAsync($$"""
                - { url: "{{rollbacks.Url}}", events: [rolled-back] }
                - { url: "{{users.Url}}", migrations: [users] }
            """);

        proxy.Host.Events.Publish(Event(RolloutEventKind.StepAdvanced, "orders"));
        proxy.Host.Events.Publish(Event(RolloutEventKind.RolledBack, "orders"));
        proxy.Host.Events.Publish(Event(RolloutEventKind.Paused, "users"));
        // Both take this one; each webhook delivers in order, so once it has arrived nothing earlier is still on its way.
        proxy.Host.Events.Publish(Event(RolloutEventKind.RolledBack, "users"));

        Assert.Equal(["rolled-back orders", "rolled-back users"], await KindsAsync(rollbacks, 2));
        Assert.Equal(["paused users", "rolled-back users"], await KindsAsync(users, 2));
    }

    [Fact]
    public async Task Publish_ReceiverAnswers503Twice_GetsTheEventOnTheThirdAttempt()
    {
        var calls = 0;
        await using var receiver = await ScriptedBackend.StartAsync(context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) <= 2 ? 503 : 200;
            return Task.CompletedTask;
        });
        await using var proxy = await StartAsync($$"""    - { url: "{{receiver.Url}}" }""");

        proxy.Host.Events.Publish(Event(RolloutEventKind.TriggerFired, "orders"));

        await MetricsShowAsync(proxy,
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"delivered\"} 1",
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"failed\"} 0",
            "cutover_webhook_retries_total{webhook=\"0\"} 2");
        Assert.Equal(3, receiver.Seen.Count);
        Assert.Single(receiver.Seen.Select(s => s.Body).Distinct());
        Assert.Single(receiver.Seen.Select(s => s.Headers["X-Cutover-Event-Id"]).Distinct());
    }

    [Fact]
    public async Task Publish_ReceiverAnswers400_IsNotRetried()
    {
        var calls = 0;
        await using var receiver = await ScriptedBackend.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("invalid_payload");
            }
        });
        await using var proxy = await StartAsync($$"""    - { url: "{{receiver.Url}}" }""");

        proxy.Host.Events.Publish(Event(RolloutEventKind.Paused, "orders"));
        proxy.Host.Events.Publish(Event(RolloutEventKind.Completed, "orders"));

        // Delivered in order: a retry of the first would have come before the second.
        Assert.Equal(["paused orders", "completed orders"], await KindsAsync(receiver, 2));
        await MetricsShowAsync(proxy,
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"failed\"} 1",
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"delivered\"} 1",
            "cutover_webhook_retries_total{webhook=\"0\"} 0");
    }

    [Fact]
    public async Task Publish_ReceiverAbsentOrTooSlow_IsRetriedThenGivenUp()
    {
        await using var silent = await ScriptedBackend.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var proxy = await StartAsync($$"""
                - { url: "http://127.0.0.1:{{LoopbackPorts.Refusing()}}/hook", retries: 2 }
                - { url: "{{silent.Url}}", timeout: 100ms, retries: 1 }
            """);

        proxy.Host.Events.Publish(Event(RolloutEventKind.RolledBack, "orders"));

        await MetricsShowAsync(proxy,
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"failed\"} 1",
            "cutover_webhook_retries_total{webhook=\"0\"} 2",
            "cutover_webhook_deliveries_total{webhook=\"1\",outcome=\"failed\"} 1",
            "cutover_webhook_retries_total{webhook=\"1\"} 1");
        Assert.Equal(2, silent.Seen.Count);
    }

    [Fact]
    public async Task Publish_ReceiverHangs_BlocksNeitherPublishNorTheOtherWebhooks()
    {
        await using var hanging = await ScriptedBackend.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var healthy = await ScriptedBackend.StartAsync(_ => Task.CompletedTask);
        await using var proxy = await StartAsync($$"""
                - { url: "{{hanging.Url}}", timeout: 10m, retries: 0 }
                - { url: "{{healthy.Url}}" }
            """, new CutoverHostOptions { LogLevel = LogLevel.Error, WebhookRetryDelay = Fast.WebhookRetryDelay, WebhookDrainTime = TimeSpan.FromMilliseconds(100) });
        var events = proxy.Host.Events;
        events.Publish(Event(RolloutEventKind.StepAdvanced, "orders", "0"));
        await EventuallyAsync(() => hanging.Seen.Count == 1 && healthy.Seen.Count == 1);

        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= 1000; i++)
        {
            events.Publish(Event(RolloutEventKind.StepAdvanced, "orders", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"1000 publishes took {clock.Elapsed.TotalMilliseconds} ms");
        await EventuallyAsync(() => healthy.Seen.Count == 1001, TimeSpan.FromSeconds(60));

        // The hanging webhook's queue is full (1000 waiting, 1 in flight): five more push out its five oldest.
        for (var i = 1001; i <= 1005; i++)
        {
            events.Publish(Event(RolloutEventKind.StepAdvanced, "orders", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await EventuallyAsync(() => healthy.Seen.Count == 1006);
        Assert.Equal(Enumerable.Range(0, 1006).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), healthy.Seen.Select(Summary));
        Assert.Single(hanging.Seen);
        await MetricsShowAsync(proxy,
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"dropped\"} 5",
            "cutover_webhook_queued{webhook=\"0\"} 1000",
            "cutover_webhook_deliveries_total{webhook=\"1\",outcome=\"delivered\"} 1006",
            "cutover_webhook_deliveries_total{webhook=\"1\",outcome=\"dropped\"} 0");
    }

    [Fact]
    public async Task StopAsync_EventsStillQueued_AreDelivered()
    {
        await using var receiver = await ScriptedBackend.StartAsync(_ => Task.Delay(20));
        var proxy = await StartAsync($$"""    - { url: "{{receiver.Url}}" }""");

        for (var i = 0; i < 5; i++)
        {
            proxy.Host.Events.Publish(Event(RolloutEventKind.StepAdvanced, "orders", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await proxy.DisposeAsync();

        Assert.Equal(["0", "1", "2", "3", "4"], receiver.Seen.Select(Summary));
    }

    [Fact]
    public async Task Publish_WebhookToLocalhostOnTheAdminsBoundPort_IsRefusedBeforeConnectingAndNotRetried()
    {
        // The file's admin address has port 0, so only the running host knows the admin API's port: validation cannot refuse this URL.
        var adminPort = LoopbackPorts.Closed();
        await using var proxy = await StartCanaryAsync(
            $$"""    - { url: "http://localhost:{{adminPort}}/api/migrations/orders/rollback" }""",
            new CutoverHostOptions { LogLevel = LogLevel.Error, WebhookRetryDelay = Fast.WebhookRetryDelay, Admin = new Uri($"http://127.0.0.1:{adminPort}") });

        proxy.Host.Events.Publish(Event(RolloutEventKind.RolledBack, "orders"));

        await MetricsShowAsync(proxy,
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"failed\"} 1",
            "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"delivered\"} 0",
            "cutover_webhook_retries_total{webhook=\"0\"} 0");
        Assert.Equal(("canary", 10.0), await ModeAndWeightAsync(proxy));
    }

    [Fact]
    public async Task Publish_AllowPrivateWebhookToTheAdminsBoundPort_IsDelivered()
    {
        var adminPort = LoopbackPorts.Closed();
        // Paused only: the rollback it causes publishes a rolled-back event, which would come back here again and again.
        await using var proxy = await StartCanaryAsync(
            $$"""    - { url: "http://localhost:{{adminPort}}/api/migrations/orders/rollback", events: [paused], allowPrivate: true }""",
            new CutoverHostOptions { LogLevel = LogLevel.Error, WebhookRetryDelay = Fast.WebhookRetryDelay, Admin = new Uri($"http://127.0.0.1:{adminPort}") });

        proxy.Host.Events.Publish(Event(RolloutEventKind.Paused, "orders"));

        await MetricsShowAsync(proxy, "cutover_webhook_deliveries_total{webhook=\"0\",outcome=\"delivered\"} 1");
        Assert.Equal(("legacy", 0.0), await ModeAndWeightAsync(proxy));
    }

    [Fact]
    public async Task Publish_NoWebhooks_TakesEventsAndDoesNothing()
    {
        await using var proxy = await ProxyUnderTest.StartAsync(Migrations, options: Fast);

        proxy.Host.Events.Publish(Event(RolloutEventKind.RolledBack, "orders"));

        Assert.DoesNotContain("cutover_webhook", await proxy.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    private static Task<ProxyUnderTest> StartAsync(string webhooks, CutoverHostOptions? options = null) =>
        ProxyUnderTest.StartAsync(Migrations, options: options ?? Fast, topLevel: "notifications:\n  webhooks:\n" + webhooks);

    private static Task<ProxyUnderTest> StartCanaryAsync(string webhooks, CutoverHostOptions options) =>
        ProxyUnderTest.StartAsync(
            """  - { name: orders, match: { pathPrefix: /orders }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2", mode: canary, weight: 10 }""",
            options: options, topLevel: "notifications:\n  webhooks:\n" + webhooks);

    private static async Task<(string Mode, double Weight)> ModeAndWeightAsync(ProxyUnderTest proxy)
    {
        var view = await proxy.MigrationAsync("orders");
        return (view.Mode, view.Weight);
    }

    private static RolloutEvent Event(RolloutEventKind kind, string migration, string summary = "") =>
        new(kind, migration, At, "cutover", summary, "mode=legacy weight=0", 3, 7, null);

    private static async Task<SeenRequest> OneAsync(ScriptedBackend receiver)
    {
        await EventuallyAsync(() => !receiver.Seen.IsEmpty);
        return Assert.Single(receiver.Seen);
    }

    private static async Task<List<string>> KindsAsync(ScriptedBackend receiver, int count)
    {
        await EventuallyAsync(() => receiver.Seen.Count >= count);
        return receiver.Seen.Select(s =>
        {
            using var body = JsonDocument.Parse(s.Body);
            return $"{body.RootElement.GetProperty("kind").GetString()} {body.RootElement.GetProperty("migration").GetString()}";
        }).ToList();
    }

    private static string Summary(SeenRequest seen)
    {
        using var body = JsonDocument.Parse(seen.Body);
        return body.RootElement.GetProperty("summary").GetString()!;
    }

    private static async Task MetricsShowAsync(ProxyUnderTest proxy, params string[] lines)
    {
        var text = string.Empty;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            text = await proxy.Admin.GetStringAsync("/metrics");
            if (lines.All(l => text.Contains(l + "\n", StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"/metrics does not show {string.Join(" and ", lines.Where(l => !text.Contains(l + "\n", StringComparison.Ordinal)))}:\n{text}");
    }

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < (within ?? TimeSpan.FromSeconds(10)), "the condition did not hold in time");
            await Task.Delay(10);
        }
    }
}
