using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Security;
using Cutover.Dashboard.Tests.Infrastructure;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>
/// A rollback past the plan's point of no return, made in Chromium: the plain rollback gets the
/// server's 409, the page then offers the forced one with what it costs, and sends it only with a
/// reason; the audit names the step. A viewer's page offers neither, and its forged forced
/// rollback is refused. Cutover runs on a manual clock so the plan stays at its point of no return.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ForcedRollbackTests(Chromium chromium)
{
    private const string Plan = """
        plan:
          steps:
            - weight: 50
            - pointOfNoReturn: { note: "the candidate now writes the new store" }
            - pause: {}
            - weight: 100
        """;

    private static readonly TokenRequest[] Tokens = [new("vic", AdminRole.Viewer, null, null), new("ann", AdminRole.Operator, null, null)];

    [Fact]
    public async Task PastThePointOfNoReturn_TheRollbackIsRefused_ThenForcedWithAReason_AndTheAuditNamesTheStep()
    {
        var options = new CutoverHostOptions { Time = new ManualTime(), LogLevel = LogLevel.Warning };
        await using var host = await DashboardHost.StartAsync(weight: 0, more: Plan, tokens: Tokens, options: options);
        var ann = host.Tokens["ann"];
        await PromoteAsync(host, ann, "start");
        await PromoteAsync(host, ann, "data moved");
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"), token: ann);
        await Assertions.Expect(page.Locator("dd[data-field='plan-status']")).ToHaveTextAsync("running · step 2/4");

        await page.Locator("button[data-action='rollback']").ClickAsync();
        await page.Keyboard.TypeAsync("p99 doubled");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#alert-title")).ToHaveTextAsync("Past the point of no return");
        await Assertions.Expect(page.Locator("#alert-detail")).ToContainTextAsync("`cutover rollback orders --force`");
        await Assertions.Expect(page.Locator("#force-warning")).ToHaveTextAsync(
            "Force rollback: legacy no longer holds current data; step 2 (the candidate now writes the new store)");
        await Assertions.Expect(page.Locator("#action-reason")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#action-confirm")).ToHaveTextAsync("Force rollback");
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("50%");

        await page.Keyboard.TypeAsync("   ");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#action-reason:invalid")).ToBeVisibleAsync();
        await page.Locator("#action-reason").FillAsync("legacy restored from the new store");
        await Screenshots.SaveAsync(page, "force-rollback-1280");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("dd[data-field='mode']")).ToHaveTextAsync("legacy");
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("0%");
        await Assertions.Expect(page.Locator("#alert")).ToContainTextAsync("Force rollback: done");
        await Assertions.Expect(page.Locator("button[data-action='force-rollback']")).ToHaveCountAsync(0);
        Assert.Equal(0, (await host.SendTrafficAsync(50)).Candidate);
        using var read = await host.SendAsync(HttpMethod.Get, "/api/audit?migration=orders&limit=1", ann);
        var audit = (await read.Content.ReadFromJsonAsync<JsonElement>())[0];
        const string Reason = "legacy restored from the new store; forced past the point of no return at step 2 (point of no return: the candidate now writes the new store)";
        Assert.Equal(("ann", "rollback", Reason), (audit.GetProperty("actor").GetString(), audit.GetProperty("action").GetString(), audit.GetProperty("reason").GetString()));
        await Assertions.Expect(page.Locator("tr[data-action='rollback'] td.reason").First).ToContainTextAsync(Reason);
    }

    [Fact]
    public async Task PastThePointOfNoReturn_AViewerSeesNoForceButton_AndItsForgedForcedRollbackIsRefused()
    {
        var options = new CutoverHostOptions { Time = new ManualTime(), LogLevel = LogLevel.Warning };
        await using var host = await DashboardHost.StartAsync(weight: 0, more: Plan, tokens: Tokens, options: options);
        await PromoteAsync(host, host.Tokens["ann"], "start");
        await PromoteAsync(host, host.Tokens["ann"], "data moved");
        var operatorPage = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"), token: host.Tokens["ann"]);
        await Assertions.Expect(operatorPage.Locator("button[data-action='force-rollback']")).ToHaveTextAsync("Force rollback…");

        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"), token: host.Tokens["vic"]);
        await Assertions.Expect(page.Locator(".timeline li.no-return .passed")).ToContainTextAsync("passed: legacy no longer holds current data");

        await Assertions.Expect(page.Locator("main button:not(.window button)")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".actions")).ToContainTextAsync("may look, not change");
        var asViewer = await ForgeAsync(page, host.Tokens["vic"]);
        var anonymous = await ForgeAsync(page, null);
        Assert.Equal((403, 401), (asViewer, anonymous));
        using var still = await host.SendAsync(HttpMethod.Get, "/api/migrations/orders", host.Tokens["vic"]);
        Assert.Contains("\"weight\":50", await still.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task PromoteAsync(DashboardHost host, string token, string reason)
    {
        using var promoted = await host.SendAsync(HttpMethod.Post, "/api/migrations/orders/promote", token, new { force = true, reason });
        Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());
    }

    /// <summary>A forced rollback posted by script from the page's own origin, as a forged button would send it; returns the status.</summary>
    private static Task<int> ForgeAsync(IPage page, string? token) => page.EvaluateAsync<int>("""
        async token => (await fetch('/api/migrations/orders/rollback', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ force: true, reason: 'forged' }),
        })).status
        """, token);
}
