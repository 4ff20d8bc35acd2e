using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Kernel.Routing;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests.Examples;

/// <summary>
/// examples/module-migration as its README walks through it, with its durations shortened: the
/// example's own cutover.yaml (addresses moved to free loopback ports, the shadow step 3 s, the
/// triggers' duration 2 s) and the example app as a process of its own under steady traffic. The
/// three modules' plans start together; each module goes its own way.
/// </summary>
public sealed class ModuleMigrationExampleTests : IAsyncLifetime
{
    private const int Customers = 400;
    private static readonly string Example = ExampleApp.Folder("module-migration");

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-example-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private CutoverHost _cutover = null!;
    private ExampleApp _app = null!;
    private Task _traffic = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var address = ExampleApp.FreeAddress();
        var config = (await File.ReadAllTextAsync(Path.Combine(Example, "cutover.yaml")))
            .Replace("http://127.0.0.1:8090", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8091", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5090/alerts", new Uri(address, "/alerts").ToString(), StringComparison.Ordinal)
            .Replace("sqlite:module-migration.db", $"sqlite:{Path.Combine(_folder, "cutover.db")}", StringComparison.Ordinal)
            .Replace("duration: 1m, minRequests: 300", "duration: 3s, minRequests: 100", StringComparison.Ordinal)
            .Replace("for 20s", "for 2s", StringComparison.Ordinal);
        _cutover = await CutoverHost.StartAsync(
            ConfigLoader.Load(config, "examples/module-migration/cutover.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Warning });
        _app = ExampleApp.Start(
            "module-migration.dll",
            address,
            "--Cutover:ControlPlane", _cutover.AdminAddress.ToString(),
            "--Cutover:CacheFile", Path.Combine(_folder, "cutover-state.json"));
        await _app.EventuallyAsync(async () => (await QuoteAsync(1)).GetProperty("price").GetProperty("engine").GetString() == "legacy", "the app to answer");
        _traffic = DriveAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _traffic;
        _app.Dispose();
        await _cutover.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Walkthrough_EachModuleGoesItsOwnWay_AndAllRollBack()
    {
        // The new shipping module's bug is on from the start: its shadow run finds it.
        (await _app.Http.PostAsync("/faults/shipping?rate=0.2", null)).EnsureSuccessStatusCode();
        foreach (var module in new[] { "orders-pricing", "orders-discounts", "orders-shipping" })
        {
            await _app.PromoteAsync(_cutover.AdminAddress, module, "start the module's plan");
        }

        // Shipping diverges on 20% of quotes: over the 5% trigger, so it is rolled back by itself,
        // and its users never saw the new module (shadow mode answers with legacy's result).
        await _app.EventuallyAsync(async () => await PlanStatusAsync("orders-shipping") == "rolled-back", "shipping to roll back", TimeSpan.FromMinutes(1));
        await _app.EventuallyAsync(async () => await HasAlertAsync("rolled-back", "orders-shipping"), "the rollback's alert");

        // Discounts diverge on about 2.5%: the 1% gate fails, which is the alert, and the module
        // stays in shadow (no rollback under 5%).
        await _app.EventuallyAsync(async () => await HasAlertAsync("gate-failed", "orders-discounts"), "the discounts' 1% alert", TimeSpan.FromMinutes(1));
        var discounts = await StatusAsync("orders-discounts");
        Assert.Equal(("shadow", "running", 1), (discounts.GetProperty("mode").GetString(), discounts.GetProperty("plan").GetProperty("status").GetString(), discounts.GetProperty("plan").GetProperty("step").GetInt32()));

        // Pricing never diverges: it leaves shadow for 10% of customers, chosen by a hash of the customer id.
        await _app.EventuallyAsync(async () => (await StatusAsync("orders-pricing")).GetProperty("weight").GetDouble() >= 10, "pricing to reach 10%", TimeSpan.FromMinutes(1));
        var weight = (Weight)(await StatusAsync("orders-pricing")).GetProperty("weight").GetDouble();
        await _app.EventuallyAsync(async () => await EnginesFollowAsync("orders-pricing", "price", weight), "pricing to follow the weight");

        // Rolling all of them back: every module of every customer on legacy again.
        foreach (var module in new[] { "orders-pricing", "orders-discounts", "orders-shipping" })
        {
            await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "rollback", module, "-r", "roll the whole package back");
        }

        await _app.EventuallyAsync(async () =>
        {
            for (var customer = 1; customer <= 100; customer++)
            {
                var quote = await QuoteAsync(customer);
                if (new[] { "price", "discount", "shipping" }.Any(part => quote.GetProperty(part).GetProperty("engine").GetString() != "legacy"))
                {
                    return false;
                }
            }

            return true;
        }, "every module back on legacy");
        foreach (var module in new[] { "orders-pricing", "orders-discounts", "orders-shipping" })
        {
            Assert.Equal("legacy", (await StatusAsync(module)).GetProperty("mode").GetString());
        }
    }

    /// <summary>Whether each customer's part is computed by the side its hash bucket falls on at <paramref name="weight"/>.</summary>
    private async Task<bool> EnginesFollowAsync(string module, string part, Weight weight)
    {
        var sides = new HashSet<string>();
        for (var customer = 1; customer <= Customers; customer++)
        {
            var expected = StickyBucket.Compute(module, $"c-{customer}") < weight.CandidateBuckets ? "new" : "legacy";
            var engine = (await QuoteAsync(customer)).GetProperty(part).GetProperty("engine").GetString();
            if (engine != expected)
            {
                return false;
            }

            sides.Add(engine);
        }

        return sides.Count == 2;
    }

    private async Task<JsonElement> QuoteAsync(int customer) =>
        await _app.Http.GetFromJsonAsync<JsonElement>($"/quotes/{customer}?sku=widget&quantity={1 + (customer % 12)}");

    private async Task<bool> HasAlertAsync(string kind, string migration) =>
        (await _app.Http.GetFromJsonAsync<JsonElement>("/alerts")).EnumerateArray()
            .Any(a => a.GetProperty("kind").GetString() == kind && a.GetProperty("migration").GetString() == migration);

    private async Task<JsonElement> StatusAsync(string module)
    {
        var run = await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "status", module, "--json");
        return JsonDocument.Parse(run.Out).RootElement;
    }

    private async Task<string?> PlanStatusAsync(string module) => (await StatusAsync(module)).GetProperty("plan").GetProperty("status").GetString();

    /// <summary>Quotes every customer in turn until stopped, as the shop's users would.</summary>
    private async Task DriveAsync(CancellationToken cancellationToken)
    {
        for (var customer = 1; !cancellationToken.IsCancellationRequested; customer = customer % Customers + 1)
        {
            try
            {
                using var response = await _app.Http.GetAsync($"/quotes/{customer}?sku=widget&quantity={1 + (customer % 12)}", cancellationToken);
                response.EnsureSuccessStatusCode();
                await Task.Delay(3, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
