using Cutover.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>The dashboard on a phone: 400 pixels wide, no sideways scrolling of the page, every action reachable.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NarrowScreenTests(Chromium chromium)
{
    [Fact]
    public async Task At400Pixels_NeitherViewScrollsSideways_AndTheActionsAreReachable()
    {
        await using var host = await DashboardHost.StartAsync(weight: 20, more: """
            plan:
              steps:
                - weight: 50
                - pause: {}
              gates: ["candidate.p99 <= 1.1 * legacy.p99"]
            """);
        await host.SendTrafficAsync(50);
        var page = await chromium.OpenAsync(host.Dashboard, width: 400, height: 800);
        await Assertions.Expect(page.Locator("tr[data-migration='orders']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-migration='orders'] svg.spark.candidate")).ToBeVisibleAsync();
        Assert.True(await FitsAsync(page), "the fleet scrolls sideways at 400 px");
        await Screenshots.SaveAsync(page, "fleet-400");

        await page.Locator("tr[data-migration='orders'] a").ClickAsync();
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("20%");
        await Assertions.Expect(page.Locator("svg.chart").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".triggers tr[data-condition]").First).ToBeVisibleAsync();
        Assert.True(await FitsAsync(page), "the migration view scrolls sideways at 400 px");
        await Screenshots.SaveAsync(page, "migration-400");

        await page.GetByRole(AriaRole.Button, new() { Name = "25%" }).ClickAsync();
        await page.Locator("#weight-reason").FillAsync("from a phone");
        await page.Locator("#weight-set").ClickAsync();
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("25%");
        await Assertions.Expect(page.Locator("button[data-action='rollback']")).ToBeInViewportAsync(new() { Ratio = 1 });
    }

    private static Task<bool> FitsAsync(IPage page) =>
        page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth");
}
