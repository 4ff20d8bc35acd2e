using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Kernel.Routing;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests.Examples;

/// <summary>
/// examples/sdk-billing as its README walks through it: Cutover from the example's own
/// cutover.yaml (its addresses moved to free loopback ports), the example app as a process of its
/// own following it, and <c>cutover weight</c> and <c>cutover mode</c> changing which calculator
/// prices each customer's invoices.
/// </summary>
public sealed class SdkBillingExampleTests : IAsyncLifetime
{
    private static readonly string Example = ExampleApp.Folder("sdk-billing");
    private static readonly string[] Customers = [.. Enumerable.Range(1, 40).Select(c => $"c-{c}")];

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-example-").FullName;
    private CutoverHost _cutover = null!;
    private ExampleApp _app = null!;

    public async Task InitializeAsync()
    {
        var config = (await File.ReadAllTextAsync(Path.Combine(Example, "cutover.yaml")))
            .Replace("http://127.0.0.1:8080", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8081", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("sqlite:sdk-billing.db", $"sqlite:{Path.Combine(_folder, "cutover.db")}", StringComparison.Ordinal);
        _cutover = await CutoverHost.StartAsync(ConfigLoader.Load(config, "examples/sdk-billing/cutover.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Warning });
        _app = ExampleApp.Start(
            "sdk-billing.dll",
            ExampleApp.FreeAddress(),
            "--Cutover:ControlPlane", _cutover.AdminAddress.ToString(),
            "--Cutover:CacheFile", Path.Combine(_folder, "cutover-state.json"));
        await _app.EventuallyAsync(async () => (await PriceAsync("c-1")).Engine == "legacy", "the app to answer");
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _cutover.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AppSettings_ControlPlane_PointsAtTheAdminApiOfTheExamplesCutoverYaml()
    {
        var settings = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Example, "appsettings.json"))).RootElement;
        var definition = ConfigLoader.Load(await File.ReadAllTextAsync(Path.Combine(Example, "cutover.yaml")), "cutover.yaml");

        Assert.Equal(definition.Admin, new Uri(settings.GetProperty("Cutover").GetProperty("ControlPlane").GetString()!));
    }

    [Fact]
    public async Task Weight_CustomersInTheProxysBuckets_MoveToTheNewCalculatorWithinSeconds()
    {
        Assert.All(await EnginesAsync(), e => Assert.Equal("legacy", e.Value));

        await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "weight", "billing-tax", "50", "-r", "half the customers");
        var expected = Customers.ToDictionary(c => c, c => StickyBucket.Compute("billing-tax", c) < ((Weight)50).CandidateBuckets ? "new" : "legacy");
        var took = await _app.EventuallyAsync(async () => (await EnginesAsync()).SequenceEqual(expected), "the invoices to follow the weight");

        // Pushed, not waited for: a loaded CI machine once took 1.9 s, so the bound is loose; how fast is a benchmark's question.
        Assert.True(took < TimeSpan.FromSeconds(5), $"the weight took {took} to reach the app");
        Assert.Contains("new", expected.Values);
        Assert.Contains("legacy", expected.Values);
        foreach (var customer in Customers)
        {
            var flag = await _app.Http.GetFromJsonAsync<JsonElement>($"/customers/{customer}/tax-engine");
            Assert.Equal(expected[customer], flag.GetProperty("engine").GetString());
        }
    }

    [Fact]
    public async Task Mode_Shadow_LegacyPricesEveryInvoiceAndTheCentTheNewCalculatorDiffersByIsReported()
    {
        await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "mode", "billing-tax", "shadow");
        await _app.EventuallyAsync(async () => (await _app.Http.GetFromJsonAsync<JsonElement>("/customers/c-1/tax-engine")).GetProperty("engine").GetString() == "legacy"
            && await ShadowAsync() is { }, "the app to shadow");

        // The flag reads "legacy" in legacy mode too, so the app may not follow shadow mode yet:
        // invoices priced before it does are not compared. Every round is priced by legacy.
        await _app.EventuallyAsync(async () =>
        {
            Assert.All(await EnginesAsync(), e => Assert.Equal("legacy", e.Value));
            return (await ShadowAsync()).GetProperty("divergent").GetInt64() >= Customers.Length;
        }, "the divergences to be reported");
    }

    private async Task<JsonElement> ShadowAsync()
    {
        var run = await CliRun.RunAsync("status", "billing-tax", "--json", "--admin", _cutover.AdminAddress.ToString());
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("stats").GetProperty("shadow");
    }

    private async Task<Dictionary<string, string>> EnginesAsync()
    {
        var engines = new Dictionary<string, string>();
        foreach (var customer in Customers)
        {
            engines[customer] = (await PriceAsync(customer)).Engine;
        }

        return engines;
    }

    /// <summary>An invoice whose lines' VAT, rounded line by line, is a cent under the VAT of its total.</summary>
    private async Task<(string Engine, decimal Vat)> PriceAsync(string customer)
    {
        using var response = await _app.Http.PostAsJsonAsync("/invoices", new
        {
            customerId = customer,
            country = "DE",
            lines = new[] { new { description = "Widget", net = 10.12m }, new { description = "Gadget", net = 20.12m }, new { description = "Cable", net = 30.12m } },
        });
        response.EnsureSuccessStatusCode();
        var tax = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tax");
        var engine = tax.GetProperty("engine").GetString()!;
        Assert.Equal(engine == "legacy" ? 11.46m : 11.47m, tax.GetProperty("vat").GetDecimal());
        return (engine, tax.GetProperty("vat").GetDecimal());
    }
}
