using Cutover.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>The dashboard without a mouse: links and buttons reached with Tab, used with Enter, the focus always shown.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests(Chromium chromium)
{
    [Fact]
    public async Task Keyboard_Alone_OpensAMigrationAndRollsItBack()
    {
        await using var host = await DashboardHost.StartAsync(weight: 40);
        var page = await chromium.OpenAsync(host.Dashboard);
        await Assertions.Expect(page.Locator("tr[data-migration='orders']")).ToBeVisibleAsync();

        await TabToAsync(page, "tr[data-migration='orders'] a");
        Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("dd[data-field='weight']")).ToHaveTextAsync("40%");
        await TabToAsync(page, "button[data-action='rollback']");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#action-reason")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("keyboard only");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("dd[data-field='mode']")).ToHaveTextAsync("legacy");
        await Assertions.Expect(page.Locator("tr[data-action='rollback'] td.reason").First).ToContainTextAsync("keyboard only");
    }

    /// <summary>Presses Tab until the element <paramref name="selector"/> names has the focus, failing after 60 presses.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        var target = page.Locator(selector);
        for (var presses = 0; presses < 60; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector}");
    }
}
