using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Dashboard.Tests.Infrastructure;
using Cutover.Testing;
using Cutover.Server.Settings;
using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task Explorer_NewTrafficWhileOpen_ShowsWithoutAReload_KeepingThePickedSampleOnceAgedOutAndTheOpenedHeaders_ReadingEvery2Seconds()
    {
        var time = new ManualTime();
        await using var host = await DashboardHost.StartAsync(mode: "shadow", weight: 0, more: """compare: { ignore: ["$.requestId"] }""", options: new CutoverHostOptions { Time = time, LogLevel = LogLevel.Warning });
        await host.SendTrafficAsync(10);
        await Eventually.TrueAsync(async () =>
            (await host.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/divergences")).GetProperty("shadow").GetProperty("compared").GetInt64() == 10);
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/d/orders"));
        var endpoint = page.Locator("details[data-endpoint='GET /orders/{id}']");
        await Assertions.Expect(endpoint.Locator("summary")).ToContainTextAsync("10 of 10 differ");
        var picked = endpoint.Locator("a.sample-link").Nth(2);
        var id = (await picked.GetAttributeAsync("href"))!.Split('/')[^1];
        await picked.ClickAsync();
        await Assertions.Expect(page.Locator("#sample-title")).ToHaveTextAsync($"Sample #{id}: GET /orders/{{id}}");
        var legacyHeaders = page.Locator(".side-answer[data-side='legacy'] details");
        await legacyHeaders.Locator("summary").ClickAsync();
        await Assertions.Expect(legacyHeaders).ToHaveAttributeAsync("open", string.Empty);
        var reads = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/divergences", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref reads);
            }
        };

        await host.SendTrafficAsync(7);
        for (var fresh = 0; fresh < 3; fresh++)
        {
            // A path gets one fresh sample a minute once it has 3; three fresh ones age the picked one out.
            time.Advance(TimeSpan.FromSeconds(61));
            await host.SendTrafficAsync(1);
        }

        await Assertions.Expect(endpoint.Locator("summary")).ToContainTextAsync("20 of 20 differ");
        await Assertions.Expect(endpoint.Locator("tr[data-path='$.side'] td").Nth(2)).ToHaveTextAsync("20");
        await Assertions.Expect(page.Locator("#sample-title")).ToHaveTextAsync($"Sample #{id}: GET /orders/{{id}}");
        await Assertions.Expect(page.Locator(".sample .pruned")).ToHaveTextAsync("No longer stored: each differing path keeps its newest 3 samples. This copy stays until another sample is picked.");
        await Assertions.Expect(legacyHeaders).ToHaveAttributeAsync("open", string.Empty);
        Interlocked.Exchange(ref reads, 0);
        await page.WaitForTimeoutAsync(5000);
        Assert.InRange(Volatile.Read(ref reads), 1, 3);
    }

    [Fact]
    public async Task Explorer_NoiseProbe_ListsTheLearnedNoiseWithItsEndpoint_AndKeepsTheSampleItOpenedWith()
    {
        await using var host = await DashboardHost.StartAsync(mode: "shadow", weight: 0, more: "shadow: { noiseProbe: true }");
        await host.SendTrafficAsync(5);
        await Eventually.TrueAsync(async () =>
            (await host.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/divergences")).GetProperty("endpoints").EnumerateArray().Any(e => e.GetProperty("noise").GetArrayLength() > 0));
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/d/orders"));
        await Assertions.Expect(page.Locator(".noise-list li[data-noise='GET /orders/{id} $.requestId']")).ToContainTextAsync("$.requestId on GET /orders/{id}, learned ");
        var first = await page.Locator("#sample-title").TextContentAsync();

        await host.SendTrafficAsync(5);

        await Assertions.Expect(page.Locator("details[data-endpoint='GET /orders/{id}'] summary")).ToContainTextAsync("10 of 10 differ");
        await Assertions.Expect(page.Locator("#sample-title")).ToHaveTextAsync(first!);
        await Assertions.Expect(page.Locator(".side-answer[data-side='legacy'] .line[data-path='$.requestId']")).ToContainTextAsync("(noise)");
    }
}
