using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cutover.Bench;
using Cutover.Bench.Dashboard;
using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

// bench/dashboard: N first loads of the dashboard's fleet, each from a browser with nothing cached,
// against a real Cutover with MIGRATIONS migrations under traffic; prints and writes the medians.
// Arguments: --loads N --hold SECONDS --migrations N --rate REQUESTS_PER_SECOND --out FILE --command TEXT --commit TEXT.
var options = Options.Parse(args);
var chromium = Environment.GetEnvironmentVariable("CUTOVER_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
if (!File.Exists(chromium))
{
    Console.Error.WriteLine($"error: no Chromium at {chromium}; install it with `apt-get install chromium` (scripts/chromium.sh) or set CUTOVER_CHROMIUM.");
    return 2;
}

var folder = Directory.CreateTempSubdirectory("cutover-bench-dashboard-").FullName;
// A small JSON order from each side, so the migrations have real traffic to chart.
await using var legacy = await LoopbackBackend.StartAsync(context => Order(context, "legacy"));
await using var candidate = await LoopbackBackend.StartAsync(context => Order(context, "candidate"));
var yaml = new StringBuilder($"""
    listen: http://127.0.0.1:0
    admin: http://127.0.0.1:0
    store: "sqlite:{Path.Combine(folder, "cutover.db")}"
    migrations:

    """);
for (var i = 1; i <= options.Migrations; i++)
{
    yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ name: m-{i:000}, group: g-{i % 10}, match: {{ pathPrefix: /m-{i:000} }}, legacy: {legacy.Url}, candidate: {candidate.Url}, mode: canary, weight: 10, stickyBy: header:X-User-Id }}");
}

var host = await CutoverHost.StartAsync(ConfigLoader.Load(yaml.ToString(), "bench-dashboard.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Error });
using var traffic = new CancellationTokenSource();
var sent = 0L;
var trafficRun = Task.Run(async () =>
{
    using var client = new HttpClient { BaseAddress = host.DataPlaneAddress };
    var every = TimeSpan.FromSeconds(1.0 / options.Rate);
    var clock = Stopwatch.StartNew();
    for (var n = 0L; !traffic.IsCancellationRequested; n++)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/m-{n % options.Migrations + 1:000}/orders/{n}");
        request.Headers.Add("X-User-Id", $"user-{n % 1000}");
        try
        {
            using var response = await client.SendAsync(request, traffic.Token);
            Interlocked.Increment(ref sent);
        }
        catch (OperationCanceledException)
        {
            break;
        }

        var due = every * (n + 1) - clock.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, CancellationToken.None);
        }
    }
});

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

// Some traffic in every migration's buckets first, so the figures and trend lines have data.
await Task.Delay(TimeSpan.FromSeconds(3));
var loads = new List<Load>();
for (var run = 0; run <= options.Loads; run++)
{
    var load = await LoadOnceAsync(browser, host.AdminAddress, options);
    // The first load warms the server (its first answers compile code) and is not counted.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(run == 0 ? "warm-up" : $"load {run}")}: first paint {load.FirstContentfulPaintMs:0} ms, {load.Rows} rows at {load.TableMs:0} ms after {load.BytesBeforeTable / 1024.0:0.0} KB in {load.Requests} answers; {load.EventStreams} event stream(s); charts read {load.ChartReads} times, at least {load.FastestChartReadMs:0} ms apart"));
    if (run > 0)
    {
        loads.Add(load);
    }
}

traffic.Cancel();
await trafficRun;
var report = Report.Write(options, loads, Interlocked.Read(ref sent));
await ReportFile.ShowAsync(report, options.Out);

await host.DisposeAsync();
Directory.Delete(folder, recursive: true);
return loads.All(l => l.Rows == options.Migrations) ? 0 : 1;

static async Task<Load> LoadOnceAsync(IBrowser browser, Uri dashboard, Options options)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
    var page = await context.NewPageAsync();
    var requests = new List<(TimeSpan At, string Path)>();
    var clock = Stopwatch.StartNew();
    page.Request += (_, request) =>
    {
        lock (requests)
        {
            requests.Add((clock.Elapsed, new Uri(request.Url).AbsolutePath));
        }
    };

    await page.GotoAsync(dashboard.ToString());
    await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(options.Migrations, new() { Timeout = 60_000 });
    var measured = await page.EvaluateAsync<JsonElement>("""
        (() => {
          const drawn = performance.getEntriesByName('cutover:fleet-drawn')[0].startTime;
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          const answers = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].filter(e => e.responseEnd <= drawn);
          return { fcp: paint ? paint.startTime : -1, drawn, bytes: answers.reduce((s, e) => s + e.transferSize, 0), answers: answers.length, rows: document.querySelectorAll('tbody tr').length };
        })()
        """);
    var holdFrom = clock.Elapsed;
    await page.WaitForTimeoutAsync(options.Hold * 1000);
    List<(TimeSpan At, string Path)> seen;
    lock (requests)
    {
        seen = [.. requests];
    }

    var chartReads = seen.Where(r => r.At >= holdFrom && r.Path.EndsWith("/metrics", StringComparison.Ordinal)).ToList();
    var fastest = chartReads.GroupBy(r => r.Path)
        .SelectMany(g => g.Zip(g.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds))
        .DefaultIfEmpty(double.NaN)
        .Min();
    return new Load(
        measured.GetProperty("fcp").GetDouble(),
        measured.GetProperty("drawn").GetDouble(),
        measured.GetProperty("rows").GetInt32(),
        measured.GetProperty("bytes").GetInt64(),
        measured.GetProperty("answers").GetInt32(),
        seen.Count(r => r.Path == "/api/events"),
        double.IsNaN(fastest) ? null : fastest,
        chartReads.Count);
}

static Task Order(HttpContext context, string side)
{
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync($$"""{"side":"{{side}}","order":7}""");
}
