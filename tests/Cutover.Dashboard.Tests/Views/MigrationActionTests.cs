using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Security;
using Cutover.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>Changes made in the migration view, in Chromium: they move real traffic and are audited under the caller's name.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MigrationActionTests(Chromium chromium)
{
    [Fact]
    public async Task Weight_SetInThePageWithAReason_MovesTrafficAndIsAuditedUnderTheTokensName()
    {
        await using var host = await DashboardHost.StartAsync(weight: 0, tokens: [new TokenRequest("ann", AdminRole.Operator, null, null)]);
        var before = await host.SendTrafficAsync(200);
        Assert.Equal((200, 0), before);
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"), token: host.Tokens["ann"]);
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("0%");

        await page.GetByRole(AriaRole.Button, new() { Name = "50%" }).ClickAsync();
        await page.Locator("#weight-reason").FillAsync("error rate flat for an hour");
        await page.Locator("#weight-set").ClickAsync();

        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("50%");
        await Assertions.Expect(page.Locator("#alert")).ToContainTextAsync("Weight set to 50%");
        var after = await host.SendTrafficAsync(400);
        Assert.InRange(after.Candidate, 140, 260);
        var view = await ReadAsync(host, "/api/migrations/orders", host.Tokens["ann"]);
        Assert.Equal(after.Candidate, view.GetProperty("stats").GetProperty("candidate").GetProperty("requests").GetInt64());
        var audit = (await ReadAsync(host, "/api/audit?migration=orders&limit=1", host.Tokens["ann"]))[0];
        Assert.Equal(("ann", "weight", "error rate flat for an hour"), (audit.GetProperty("actor").GetString(), audit.GetProperty("action").GetString(), audit.GetProperty("reason").GetString()));
        await Assertions.Expect(page.Locator("tr[data-action='weight'] td.actor").First).ToHaveTextAsync("ann");
        await Screenshots.SaveAsync(page, "migration-1280");
    }

    [Fact]
    public async Task Rollback_FromThePageWithAReason_SendsEveryoneToLegacy()
    {
        await using var host = await DashboardHost.StartAsync(weight: 60);
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"));
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("60%");

        await page.Locator("button[data-action='rollback']").ClickAsync();
        await Assertions.Expect(page.Locator("#action-reason")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("p99 doubled");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("dd[data-field='mode']")).ToHaveTextAsync("legacy");
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("0%");
        Assert.Equal(0, (await host.SendTrafficAsync(100)).Candidate);
        await Assertions.Expect(page.Locator("tr[data-action='rollback'] td.reason").First).ToContainTextAsync("p99 doubled");
    }

    [Fact]
    public async Task Refusal_ShowsTheServersProblemDetail()
    {
        await using var host = await DashboardHost.StartAsync(weight: 0, more: GatedPlan);
        await host.SendTrafficAsync(20);
        using var started = await host.SendAsync(HttpMethod.Post, "/api/migrations/orders/promote", token: null, new { reason = "start" });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"));
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("50%");

        await page.Locator("button[data-action='promote']").ClickAsync();
        await page.Locator("#action-reason").FillAsync("looks fine to me");
        await page.Locator("#action-confirm").ClickAsync();

        await Assertions.Expect(page.Locator("#alert-title")).ToHaveTextAsync("Gates not met");
        await Assertions.Expect(page.Locator("#alert-detail")).ToContainTextAsync("'orders' cannot leave step 1 (weight 50)");
        await Assertions.Expect(page.Locator(".gates tr[data-condition='candidate.errorRate <= 0.01'] .verdict")).ToHaveTextAsync("inconclusive");
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("50%");
    }

    private const string GatedPlan = """
        plan:
          steps:
            - weight: 50
            - pause: {}
          gates: ["candidate.errorRate <= 0.01"]
          minSamples: 20
        """;

    private static async Task<JsonElement> ReadAsync(DashboardHost host, string path, string token)
    {
        using var response = await host.SendAsync(HttpMethod.Get, path, token);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
