using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, launched headless once for the browser tests and shared by them. Playwright's
/// own browser download cannot work here, so it drives the system's; a machine without it fails
/// every browser test with a message naming the package, never skips them.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser; every test opens its own context (its own sessionStorage) in it.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium was not launched.");

    /// <summary>Where the browser is: CUTOVER_CHROMIUM (set by test.sh from scripts/chromium.sh), else /usr/bin/chromium.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CUTOVER_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The dashboard's browser tests need Debian's Chromium at {ExecutablePath}, and there is none. " +
                "Install the package with `apt-get install chromium` (scripts/chromium.sh does it as root; ./test.sh calls it), or set CUTOVER_CHROMIUM to a Chromium binary.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>A fresh page of <paramref name="width"/> by <paramref name="height"/> pixels in its own context, with a bearer token already in its tab when given.</summary>
    public async Task<IPage> OpenAsync(Uri address, int width = 1280, int height = 800, string? token = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        if (token is not null)
        {
            await context.AddInitScriptAsync($"sessionStorage.setItem('cutover.token', {System.Text.Json.JsonSerializer.Serialize(token)});");
        }

        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(address.ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
