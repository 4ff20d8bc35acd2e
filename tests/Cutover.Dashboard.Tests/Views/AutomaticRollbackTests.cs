using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cutover.Dashboard.Tests.Infrastructure;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>
/// A plan rolling a failing candidate back, watched in Chromium: the trigger holding and the
/// judge's decision turning to roll-back, then the rollback, each showing without a reload. Cutover runs on a manual clock that the test moves a
/// second at a time with traffic, so the trigger's 10 s pass in milliseconds.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AutomaticRollbackTests(Chromium chromium)
{
    private const string Plan = """
        plan:
          steps:
            - weight: 50
            - pause: {}
          triggers: ["candidate.errorRate > 0.5 for 10s"]
          minSamples: 20
        """;

    [Fact]
    public async Task FailingCandidate_ShowsItsTriggerHolding_AndTheDecisionToRollBack_ThenTheRollback_WithoutAReload()
    {
        var time = new ManualTime();
        var options = new CutoverHostOptions { Time = time, LogLevel = LogLevel.Warning, RolloutTick = TimeSpan.FromMilliseconds(250) };
        await using var host = await DashboardHost.StartAsync(weight: 0, more: Plan, options: options);
        await host.SendTrafficAsync(40);
        using var started = await host.SendAsync(HttpMethod.Post, "/api/migrations/orders/promote", token: null, new { reason = "start the plan" });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        await DriveUntilAsync(host, time, async () => (await PlanStatusAsync(host)) == "paused");
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"));
        await Assertions.Expect(page.Locator("dd[data-field='plan-status']")).ToHaveTextAsync("paused · step 2/2");
        await Assertions.Expect(page.Locator(".plan")).Not.ToContainTextAsync("null");
        var trigger = page.Locator(".triggers tr[data-condition='candidate.errorRate > 0.5 for 10s']");
        await Assertions.Expect(trigger.Locator(".verdict")).ToHaveTextAsync("clear");
        var decision = page.Locator("#decision");
        await Assertions.Expect(decision).ToHaveAttributeAsync("data-verdict", new Regex("^(promote|wait)$"));
        await Assertions.Expect(decision.Locator("li").First).Not.ToContainTextAsync("holds (");
        var loaded = await page.EvaluateAsync<double>("performance.timeOrigin");

        host.Candidate.Fails = true;
        await DriveUntilAsync(host, time, async () => (await JudgeAsync(host)).GetProperty("triggers")[0].GetProperty("heldSeconds").ValueKind == JsonValueKind.Number);

        await Assertions.Expect(trigger.Locator(".verdict")).ToHaveTextAsync("holding");
        await Assertions.Expect(trigger.Locator(".held")).ToContainTextAsync("of 10s");
        await Assertions.Expect(decision.Locator(".verdict")).ToHaveTextAsync("roll-back");
        await Assertions.Expect(decision.Locator("li").First).ToContainTextAsync("trigger 'candidate.errorRate > 0.5 for 10s' holds (candidate.errorRate ");
        await Screenshots.SaveAsync(page, "trigger-holding-1280");
        var fleet = await chromium.OpenAsync(host.Dashboard);
        await Assertions.Expect(fleet.Locator("tr[data-migration='orders'] .attention-cell")).ToContainTextAsync("⚠ trigger holding: candidate.errorRate > 0.5 for 10s");
        await Assertions.Expect(fleet.Locator("tbody tr").First).ToHaveAttributeAsync("data-migration", "orders");
        await Screenshots.SaveAsync(fleet, "fleet-attention-1280");
        await fleet.Context.CloseAsync();

        await DriveUntilAsync(host, time, async () => (await PlanStatusAsync(host)) == "rolled-back");

        await Assertions.Expect(page.Locator("dd[data-field='plan-status']")).ToHaveTextAsync("rolled-back · step 2/2");
        await Assertions.Expect(page.Locator("dd[data-field='mode']")).ToHaveTextAsync("legacy");
        await Assertions.Expect(decision).ToContainTextAsync("the plan is rolled-back and no longer acts on it");
        await Assertions.Expect(page.Locator("tr[data-action='rollback'] td.actor").First).ToHaveTextAsync("cutover");
        await Assertions.Expect(page.Locator("tr[data-action='rollback'] td.reason").First).ToContainTextAsync("trigger fired: candidate.errorRate > 0.5 for 10s");
        Assert.Equal(loaded, await page.EvaluateAsync<double>("performance.timeOrigin"));
        await Screenshots.SaveAsync(page, "rolled-back-1280");

        await page.Locator("a", new() { HasText = "← Fleet" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-migration='orders'] .attention-cell")).ToContainTextAsync("⚠ rolled back");
    }

    /// <summary>Sends traffic and moves the clock a second at a time until <paramref name="done"/>, failing after two minutes of clock time.</summary>
    private static async Task DriveUntilAsync(DashboardHost host, ManualTime time, Func<Task<bool>> done)
    {
        var limit = time.GetUtcNow() + TimeSpan.FromMinutes(2);
        while (!await done())
        {
            Assert.True(time.GetUtcNow() < limit, "the plan did not get there within two minutes of clock time");
            await host.SendTrafficAsync(40);
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(15);
        }
    }

    private static async Task<string?> PlanStatusAsync(DashboardHost host) =>
        (await host.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders")).GetProperty("plan").GetProperty("status").GetString();

    private static async Task<JsonElement> JudgeAsync(DashboardHost host) =>
        await host.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge");
}
