using System.Net;
using System.Text.Json;
using Cutover.Testing;

namespace Cutover.Cli.Tests;

public sealed class DiffCommandTests(ShadowedCutover cutover) : IClassFixture<ShadowedCutover>
{
    [Fact]
    public async Task Diff_SummarisesThisProcessesShadowCounts()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--admin", cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.StartsWith("orders (mode shadow), this Cutover process: mirrored 7, compared 7, divergent 4 (57.14%), dropped 0, skipped 0, candidate errors 0", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_GroupsByEndpointAndPath_WithEndpointsThatNeverDiffered()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--admin", cutover.Admin);

        Assert.Matches(@"GET /orders/\{id\}\s+\$\.price\s+value changed\s+4\s+100% of 4\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d{4}-\d\d-\d\d", run.Out);
        Assert.Matches(@"GET /health\s+\(no differences\)\s+0\s+0% of 3", run.Out);
    }

    [Fact]
    public async Task Diff_ListsLearnedNoise()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--admin", cutover.Admin);

        Assert.Contains("noise on GET /orders/{id}: $.requestId", run.Out, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"GET /orders/\{id\}\s+\$\.requestId", run.Out);
    }

    [Fact]
    public async Task Diff_ShowsASampleSideBySide_AndItsDifferences()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--admin", cutover.Admin);

        Assert.Matches(@"Sample \d+: GET /orders/\{id\}, differing at \$\.price", run.Out);
        Assert.Matches(@"GET /orders/\d: legacy 200 in [\d.]+ ms, candidate 200 in [\d.]+ ms", run.Out);
        Assert.Matches(@"\n {2}""price"": 1, +\| {3}""price"": 2\n", run.Out);
        Assert.Matches(@"\n {2}""requestId"": ""[-0-9a-f]+"" +n\n", run.Out);
        Assert.Matches(@"\n {2}""id"": 1, {2,} {2}""id"": 1,", run.Out);
        Assert.Matches(@"\$\.price\s+value changed\s+1\s+2\s", run.Out);
    }

    [Fact]
    public async Task Diff_OnANarrowConsole_StacksTheBodies()
    {
        var run = await CliRun.RunWithWidthAsync(60, "diff", "orders", "--admin", cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\n-   \"price\": 1,", run.Out, StringComparison.Ordinal);
        Assert.Contains("\n+   \"price\": 2\n", run.Out, StringComparison.Ordinal);
        Assert.True(run.Out.IndexOf("\"price\": 1", StringComparison.Ordinal) < run.Out.IndexOf("\"price\": 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiffJson_IsTheAdminApisView()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--json", "--admin", cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        var view = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("orders", view.GetProperty("migration").GetString());
        var orders = view.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("endpoint").GetString() == "GET /orders/{id}");
        var price = Assert.Single(orders.GetProperty("paths").EnumerateArray());
        Assert.Equal("$.price", price.GetProperty("path").GetString());
        Assert.Equal("valueChanged", price.GetProperty("kind").GetString());
        Assert.Equal(ShadowedCutover.OrderRequests, price.GetProperty("count").GetInt64());
        Assert.Equal("2", view.GetProperty("sample").GetProperty("differences")[0].GetProperty("candidate").GetString());
    }

    [Fact]
    public async Task DiffSample_ShowsThatSample()
    {
        var json = await CliRun.RunAsync("diff", "orders", "--json", "--admin", cutover.Admin);
        var view = JsonDocument.Parse(json.Out).RootElement;
        var shown = view.GetProperty("sample").GetProperty("id").GetInt64();
        var other = view.GetProperty("endpoints").EnumerateArray().SelectMany(e => e.GetProperty("samples").EnumerateArray())
            .Select(s => s.GetProperty("id").GetInt64()).First(id => id != shown);

        var run = await CliRun.RunAsync("diff", "orders", "--sample", other.ToString(System.Globalization.CultureInfo.InvariantCulture), "--admin", cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"Sample {other}: GET /orders/{{id}}", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffSample_Unknown_Exits1()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--sample", "987654", "--admin", cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.StartsWith("error: Migration 'orders' has no stored sample 987654", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffSample_NotANumber_IsBadInput()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--sample", "newest", "--admin", cutover.Admin);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Run 'cutover diff --help' for usage.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_UnknownMigration_Exits1NamingIt()
    {
        var run = await CliRun.RunAsync("diff", "nope", "--admin", cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: There is no migration named 'nope'. Known migrations: orders.", run.Error.Trim());
    }

    [Fact]
    public async Task Diff_UnreachableAdmin_Exits3()
    {
        var closed = LoopbackPorts.Closed();

        var run = await CliRun.RunAsync("diff", "orders", "--admin", $"http://127.0.0.1:{closed}");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"error: cannot reach the Cutover admin API at http://127.0.0.1:{closed}/", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ShowsTheCandidatesDivergenceRate()
    {
        var all = await CliRun.RunAsync("status", "--admin", cutover.Admin);
        var one = await CliRun.RunAsync("status", "orders", "--admin", cutover.Admin);

        foreach (var run in new[] { all, one })
        {
            Assert.Contains("DIVERGENCE", run.Out, StringComparison.Ordinal);
            Assert.Matches(@"orders\s+—\s+normal\s+shadow\s+0%\s+—\s+\d+/0\s+0/0\s+57\.14% of 7\s+1\s", run.Out);
        }
    }

    [Fact]
    public async Task Diff_CandidateDown_ShowsTheLastCandidateError()
    {
        var legacy = await LoopbackBackend.JsonAsync("""{"id":1}""");
        await using var down = await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: / }
                legacy: {{legacy.Urls.First()}}
                candidate: http://127.0.0.1:{{LoopbackPorts.Closed()}}
                mode: shadow
            """, legacy);
        using var http = new HttpClient();
        (await http.GetAsync(new Uri(down.Host.DataPlaneAddress, "/orders/1"))).EnsureSuccessStatusCode();

        var run = await WaitForAsync(() => CliRun.RunAsync("diff", "orders", "--admin", down.Admin), r => r.Out.Contains("candidate errors 1", StringComparison.Ordinal));

        Assert.Matches(@"^orders \(mode shadow\), this Cutover process: mirrored 1, compared 0, divergent 0, dropped 0, skipped 0, candidate errors 1; last candidate error: .*GET /orders/\{id\}", run.Out);
        Assert.Contains("Nothing compared yet. orders is in shadow mode", run.Out, StringComparison.Ordinal);
    }

    private static async Task<CliRun> WaitForAsync(Func<Task<CliRun>> run, Func<CliRun, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var result = await run();
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(50);
        }
    }
}
