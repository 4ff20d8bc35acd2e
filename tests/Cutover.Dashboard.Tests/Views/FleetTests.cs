using Cutover.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>The fleet table in Chromium, against a real Cutover with traffic.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FleetTests(Chromium chromium)
{
    [Fact]
    public async Task Fleet_WeightChangedThroughTheApi_ShowsWithoutAReload()
    {
        await using var host = await DashboardHost.StartAsync(weight: 10);
        await host.SendTrafficAsync(40);
        var page = await chromium.OpenAsync(host.Dashboard);
        var orders = page.Locator("tr[data-migration='orders']");
        await Assertions.Expect(orders.Locator("td.weight")).ToHaveTextAsync("10%");
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        var marker = await page.EvaluateAsync<double>("window.performance.timeOrigin");

        using var changed = await host.SendAsync(HttpMethod.Post, "/api/migrations/orders/weight", token: null, new { weight = 35, reason = "from the CLI" });
        changed.EnsureSuccessStatusCode();

        await Assertions.Expect(orders.Locator("td.weight")).ToHaveTextAsync("35%");
        Assert.Equal(marker, await page.EvaluateAsync<double>("window.performance.timeOrigin"));
        await Assertions.Expect(page.Locator("tr[data-migration='billing'] td.mode")).ToHaveTextAsync("legacy");
        await Assertions.Expect(orders.Locator("td.side.candidate svg.spark")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "fleet-1280");
    }

    [Fact]
    public async Task OneTab_OpensOneEventStream_AndAsksForAMigrationsMetricsAtMostEveryTwoSeconds()
    {
        await using var host = await DashboardHost.StartAsync();
        var streams = 0;
        var metrics = new List<string>();
        var page = await chromium.OpenAsync(host.Dashboard);

        // The first load opens its stream after the page's load event; once it is live, only the reload's stream is counted.
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/events", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref streams);
            }
            else if (request.Url.Contains("/api/migrations/orders/metrics", StringComparison.Ordinal))
            {
                lock (metrics)
                {
                    metrics.Add(request.Url);
                }
            }
        };
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("tr[data-migration='orders']")).ToBeVisibleAsync();

        await page.Locator("tr[data-migration='orders'] a").ClickAsync();
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToBeVisibleAsync();
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("tr[data-migration='orders']")).ToBeVisibleAsync();
        lock (metrics)
        {
            metrics.Clear();
        }

        await page.WaitForTimeoutAsync(6500);

        Assert.Equal(1, streams);
        lock (metrics)
        {
            // A pass every 2 s after the previous one ends: at most one at the start and one at 2, 4 and 6 s.
            Assert.InRange(metrics.Count, 2, 4);
        }
    }

    [Fact]
    public async Task SuccessScore_OverallAndPerGroup_FollowsMigrationsAndRollbacks_WithoutAReload()
    {
        await using var host = await DashboardHost.StartAsync(weight: 100, mode: "candidate");
        var page = await chromium.OpenAsync(host.Dashboard);
        var overall = page.Locator("[data-total='success score'] .value");

        // orders (high, 3) migrated, billing (normal, 2) not started: 3 of 5.
        await Assertions.Expect(overall).ToHaveTextAsync("60/100");
        await Assertions.Expect(page.Locator(".group-scores span[data-group='shop']")).ToHaveTextAsync("shop 100/100");
        await Assertions.Expect(page.Locator(".group-scores span[data-group='finance']")).ToHaveTextAsync("finance 0/100");

        using var billing = await host.SendAsync(HttpMethod.Post, "/api/migrations/billing/mode", token: null, new { mode = "candidate", reason = "moved" });
        billing.EnsureSuccessStatusCode();
        await Assertions.Expect(overall).ToHaveTextAsync("100/100");
        await Assertions.Expect(page.Locator(".group-scores span[data-group='finance']")).ToHaveTextAsync("finance 100/100");

        // A rollback costs half its migration's weight: (2 - 1.5) of 5.
        using var rollback = await host.SendAsync(HttpMethod.Post, "/api/migrations/orders/rollback", token: null, new { reason = "p99 doubled" });
        rollback.EnsureSuccessStatusCode();
        await Assertions.Expect(overall).ToHaveTextAsync("10/100");
        await Assertions.Expect(page.Locator(".group-scores span[data-group='shop']")).ToHaveTextAsync("shop 0/100");
    }

    [Fact]
    public async Task Fleet_Filters_NarrowTheTableByGroupNameAndState()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await chromium.OpenAsync(host.Dashboard);
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);

        await page.Locator("#filter-group").SelectOptionAsync("finance");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr[data-migration='billing']")).ToBeVisibleAsync();

        await page.Locator("#filter-group").SelectOptionAsync(string.Empty);
        await page.Locator("#filter-name").FillAsync("ord");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr[data-migration='orders']")).ToBeVisibleAsync();

        await page.Locator("#filter-name").FillAsync(string.Empty);
        await page.Locator("#filter-state").SelectOptionAsync("not-started");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr[data-migration='billing']")).ToBeVisibleAsync();
    }
}
