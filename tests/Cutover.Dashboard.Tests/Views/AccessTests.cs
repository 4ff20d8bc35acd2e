using System.Net;
using Cutover.Core.Security;
using Cutover.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>Who sees what: the token form, a viewer's page without actions, and changes the server refuses whatever a page sends.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessTests(Chromium chromium)
{
    private static readonly TokenRequest[] Tokens = [new("vic", AdminRole.Viewer, null, null), new("ann", AdminRole.Operator, null, null)];

    [Fact]
    public async Task WithTokens_APageWithoutOne_AsksForItAndThenShowsTheFleet()
    {
        await using var host = await DashboardHost.StartAsync(tokens: Tokens);
        var page = await chromium.OpenAsync(host.Dashboard);

        await Assertions.Expect(page.Locator("#token-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#token-form")).ToContainTextAsync("Authorization: Bearer");
        await page.Locator("#token").FillAsync(host.Tokens["vic"]);
        await page.Locator("#token").PressAsync("Enter");

        await Assertions.Expect(page.Locator("tr[data-migration='orders']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("vic · viewer");
    }

    [Fact]
    public async Task Viewer_SeesNoActionButtons_AndItsForgedChangeIsRefused()
    {
        await using var host = await DashboardHost.StartAsync(weight: 10, more: Plan, tokens: Tokens);
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"), token: host.Tokens["vic"]);
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("10%");
        await Assertions.Expect(page.Locator("#judge-title")).ToBeVisibleAsync();

        await Assertions.Expect(page.Locator("main button:not(.window button)")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".actions")).ToContainTextAsync("may look, not change");
        await Screenshots.SaveAsync(page, "migration-viewer-1280");

        var asViewer = await ForgeAsync(page, host.Tokens["vic"]);
        var anonymous = await ForgeAsync(page, null);
        Assert.Equal((403, 401), (asViewer, anonymous));
        using var stillTen = await host.SendAsync(HttpMethod.Get, "/api/migrations/orders", host.Tokens["vic"]);
        Assert.Contains("\"weight\":10", await stillTen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTokens_AChangeFromAForeignOriginOrAsAFormIsRefused()
    {
        await using var host = await DashboardHost.StartAsync(weight: 10);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/migrations/orders/weight") { Content = System.Net.Http.Json.JsonContent.Create(new { weight = 100 }) };
        foreign.Headers.Add("Origin", "http://evil.example");
        using var fromForeign = await host.Admin.SendAsync(foreign);
        using var form = await host.Admin.PostAsync("/api/migrations/orders/weight", new FormUrlEncodedContent([new("weight", "100")]));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.UnsupportedMediaType), (fromForeign.StatusCode, form.StatusCode));
    }

    private const string Plan = """
        plan:
          steps:
            - weight: 50
            - pause: {}
          minSamples: 20
        """;

    /// <summary>A weight change posted by script from the page's own origin, as a forged button would send it; returns the status.</summary>
    private static Task<int> ForgeAsync(IPage page, string? token) => page.EvaluateAsync<int>("""
        async token => (await fetch('/api/migrations/orders/weight', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ weight: 100, reason: 'forged' }),
        })).status
        """, token);
}
