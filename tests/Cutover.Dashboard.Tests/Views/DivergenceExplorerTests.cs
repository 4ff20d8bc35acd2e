using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Dashboard.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>The divergence explorer in Chromium, on shadow traffic between two real backends whose answers differ in one field.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DivergenceExplorerTests(Chromium chromium)
{
    [Fact]
    public async Task Explorer_ShowsTheEndpointItsPathsAndASampleWithExactlyTheReportedPathsMarked()
    {
        await using var host = await DashboardHost.StartAsync(mode: "shadow", weight: 0, more: """compare: { ignore: ["$.requestId"] }""");
        await host.SendTrafficAsync(20);
        await Eventually.TrueAsync(async () =>
            (await host.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/divergences")).GetProperty("shadow").GetProperty("compared").GetInt64() == 20);
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/m/orders"));

        await page.Locator("#divergences-link").ClickAsync();

        var endpoint = page.Locator("details[data-endpoint='GET /orders/{id}']");
        await Assertions.Expect(endpoint.Locator("summary")).ToContainTextAsync("20 of 20 differ");
        await Assertions.Expect(endpoint.Locator("tr[data-path]")).ToHaveCountAsync(1);
        await Assertions.Expect(endpoint.Locator("tr[data-path='$.side'] td").Nth(2)).ToHaveTextAsync("20");
        foreach (var side in new[] { "legacy", "candidate" })
        {
            var answer = page.Locator($".side-answer[data-side='{side}'] .json");
            await Assertions.Expect(answer.Locator(".line.diff")).ToHaveCountAsync(1);
            await Assertions.Expect(answer.Locator(".line[data-path='$.side']")).ToHaveClassAsync("line diff");
            await Assertions.Expect(answer.Locator(".line[data-path='$.side']")).ToContainTextAsync($"\"side\": \"{side}\",  ≠");
            await Assertions.Expect(answer.Locator(".line[data-path='$.requestId']")).ToContainTextAsync("(ignored)");
            await Assertions.Expect(answer.Locator(".line[data-path='$.order']")).ToHaveClassAsync("line");
        }

        await Assertions.Expect(page.Locator(".request")).ToContainTextAsync("GET /orders/");
        await Screenshots.SaveAsync(page, "divergences-1280");

        var second = endpoint.Locator("a.sample-link").Nth(1);
        var id = (await second.GetAttributeAsync("href"))!.Split('/')[^1];
        await second.ClickAsync();
        await Assertions.Expect(page.Locator("#sample-title")).ToHaveTextAsync($"Sample #{id}: GET /orders/{{id}}");
    }
}
