using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Infrastructure;

/// <summary>
/// Where the browser tests leave their screenshots: CUTOVER_SCREENSHOTS, else a screenshots folder
/// beside the test assembly. docs/screenshots holds copies of the current ones.
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Environment.GetEnvironmentVariable("CUTOVER_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves the whole page as <paramref name="name"/>.png.</summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
    }
}
