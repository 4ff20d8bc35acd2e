using Cutover.Dashboard.Tests.Infrastructure;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>
/// The plan timeline in Chromium for a plan with a point of no return, a window and a progress
/// deadline: the point of no return marked, not passed and then passed, and the closed window
/// with when it opens. Cutover runs on a manual clock on a Thursday, outside a Monday-only window.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlanSafetyTests(Chromium chromium)
{
    private const string Plan = """
        plan:
          steps:
            - weight: 50
            - pointOfNoReturn: { note: "the candidate now writes the new store" }
            - pause: {}
            - weight: 100
          window: { days: [mon], hours: "09:00-17:00", timeZone: Europe/Paris }
          progressDeadline: 30m
        """;

    [Fact]
    public async Task Timeline_ShowsThePointOfNoReturnPassedOrNot_AndWhenTheWindowOpens()
    {
        var options = new CutoverHostOptions { Time = new ManualTime(), LogLevel = LogLevel.Warning };
        await using var host = await DashboardHost.StartAsync(weight: 0, more: Plan, options: options);
        using var started = await host.SendAsync(HttpMethod.Post, "/api/migrations/orders/promote", token: null, new { force = true, reason = "start" });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"));
        var noReturn = page.Locator(".timeline li.no-return");

        await Assertions.Expect(noReturn.Locator(".step")).ToHaveTextAsync("point of no return: the candidate now writes the new store");
        await Assertions.Expect(noReturn.Locator(".passed")).ToHaveTextAsync(" · not passed yet: a trigger still rolls back");
        await Assertions.Expect(page.Locator("#plan-window")).ToHaveTextAsync(
            "Moves forward only in its window, mon 09:00-17:00 Europe/Paris: closed, opens at 2026-01-05 09:00 (+01:00). Triggers still roll back at any hour.");
        await Assertions.Expect(page.Locator("#plan-deadline")).ToHaveTextAsync("A step not done within 30m pauses for a person.");

        using var promoted = await host.SendAsync(HttpMethod.Post, "/api/migrations/orders/promote", token: null, new { force = true, reason = "data moved" });
        Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());

        await Assertions.Expect(noReturn.Locator(".passed")).ToHaveTextAsync(" · passed: legacy no longer holds current data; a trigger halts the plan, a rollback needs force");
        await Assertions.Expect(noReturn).ToHaveAttributeAsync("aria-current", "step");
        await Screenshots.SaveAsync(page, "plan-point-of-no-return-1280");
    }
}
