using Cutover.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>The fleet of 200 migrations: how much the page moved before its first full table, and (in the test's output) how long it took.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FleetScaleTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Fleet_Of200Migrations_IsDrawnWhole_AfterUnder300KBTransferred()
    {
        await using var host = await DashboardHost.StartAsync(bulk: 198);
        // A first visit warms the server (its first answers compile code); the second, from a browser with nothing cached, is what an operator's first look costs.
        var warmUp = await chromium.OpenAsync(host.Dashboard);
        await Assertions.Expect(warmUp.Locator("tbody tr")).ToHaveCountAsync(200);
        await warmUp.Context.CloseAsync();
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.Dashboard.ToString());
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(200);

        // The page marks when it first drew the whole table; what had arrived by then (the browser's resource timing) is what the first paint cost.
        var drawnAfter = await page.EvaluateAsync<double>("performance.getEntriesByName('cutover:fleet-drawn')[0].startTime");
        var answers = await page.EvaluateAsync<Answer[]>("""
            [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
              .filter(e => e.responseEnd <= performance.getEntriesByName('cutover:fleet-drawn')[0].startTime)
              .map(e => ({ name: new URL(e.name).pathname, bytes: e.transferSize, start: e.startTime, end: e.responseEnd }))
            """);
        var bytes = answers.Sum(a => a.Bytes);
        var listed = string.Join(", ", answers.Select(a => $"{a.Name} {a.Bytes / 1024.0:0.0} KB {a.Start:0}-{a.End:0} ms"));

        output.WriteLine($"200 migrations drawn after {drawnAfter:0} ms, {bytes / 1024} KB: {listed}");
        Assert.Contains(answers, a => a.Name == "/api/fleet");
        Assert.True(bytes < 300 * 1024, $"{bytes / 1024} KB transferred before the table was drawn: {listed}");
        await context.CloseAsync();
    }

    /// <summary>One answer as the browser's resource timing saw it (Playwright fills it by its properties).</summary>
    private sealed class Answer
    {
        public string Name { get; set; } = string.Empty;

        public long Bytes { get; set; }

        public double Start { get; set; }

        public double End { get; set; }
    }
}
