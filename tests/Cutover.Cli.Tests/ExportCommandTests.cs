using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary><c>cutover export</c> against a real Cutover serving two migrations of group "shop", and <c>cutover apply -f</c> of what it printed.</summary>
public sealed class ExportCommandTests : IAsyncLifetime
{
    // Every kind of step and every key of a plan, so each is written back as the reader takes it.
    private const string AppliedPlan = """
            plan:
              steps:
                - shadow: { duration: 10m, minRequests: 1000 }
                - weight: 12.5
                  progressDeadline: 24h
                - pause: { duration: 5m }
                - smoke: { requests: 20, path: /orders/1 }
                - smoke: { requests: 3, grpc: grpc.health.v1.Health/Check }
                - pause: {}
                - pointOfNoReturn: { note: "the candidate now writes: the new store" }
                - weight: 100
                - retire: {}
              gates: ["candidate.errorRate <= 0.01", "candidate.p95 <= 1.2 * legacy.p95"]
              triggers: ["candidate.errorRate > 0.05 for 1m"]
              minSamples: 150
              inconclusiveAfter: 20m
              drainTimeout: 10s
              window: { days: [mon, tue], hours: "09:00-17:00", timeZone: Europe/Paris }
              progressDeadline: 2h
        """;

    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var backend = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var url = backend.Urls.First();
        _cutover = await RunningCutover.StartAsync($$"""
              - name: orders
                group: shop
                match: { pathPrefix: /orders }
                legacy: {{url}}
                candidate: {{url}}
                stickyBy: header:X-User-Id
                failover: true
                mode: canary
                weight: 10
                plan:
                  steps: [{ weight: 50 }, { weight: 100 }]
              - name: search
                group: shop
                match: { pathPrefix: /search }
                legacy: {{url}}
                candidate: {{url}}
            """, backend);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public async Task Export_ThenApply_PutsBackModeWeightAndAnAppliedPlan()
    {
        await Succeeds("apply", "-f", Write("plan.yaml", _cutover.Config.Replace("""
                plan:
                  steps: [{ weight: 50 }, { weight: 100 }]
            """, AppliedPlan, StringComparison.Ordinal)));
        await Succeeds("weight", "orders", "33.3");
        var backup = Write("backup.yaml", (await Succeeds("export", "orders")).Out);
        Assert.Equal("Dry run: nothing was changed. Applying backup.yaml would do this:\n  orders  unchanged\nLeft as they are (not in the file): search.",
            (await Succeeds("apply", "-f", backup, "--dry-run")).Out.TrimEnd().ReplaceLineEndings("\n"));

        await Succeeds("apply", "-f", Write("other.yaml", _cutover.Config));
        await Succeeds("mode", "orders", "candidate");
        var restored = await Succeeds("apply", "-f", backup, "-r", "restore");

        Assert.Contains("orders  mode: candidate → canary", restored.Out, StringComparison.Ordinal);
        var status = JsonDocument.Parse((await Succeeds("status", "orders", "--json")).Out).RootElement;
        var plan = status.GetProperty("plan");
        Assert.Equal(("canary", 33.3, "ready"), (status.GetProperty("mode").GetString(), status.GetProperty("weight").GetDouble(), plan.GetProperty("status").GetString()));
        Assert.Equal(9, plan.GetProperty("steps").GetArrayLength());
        Assert.Equal("weight 12.5, progress deadline 24h", plan.GetProperty("steps")[1].GetString());
        Assert.Equal("smoke 3 x gRPC grpc.health.v1.Health/Check", plan.GetProperty("steps")[4].GetString());
        Assert.Equal("2h", plan.GetProperty("progressDeadline").GetString());
        Assert.Equal((await File.ReadAllTextAsync(backup)).ReplaceLineEndings("\n"), (await Succeeds("export", "orders")).Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Export_Group_PrintsItsMigrationsWithTheFileSettings()
    {
        var run = await Succeeds("export", "--group", "shop", "--json");

        var view = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(["orders", "search"], view.GetProperty("migrations").EnumerateArray().Select(m => m.GetString()));
        var config = view.GetProperty("config").GetString()!;
        Assert.StartsWith("listen: http://127.0.0.1:0\n", config, StringComparison.Ordinal);
        Assert.Contains("  mode: legacy\n  weight: 0\n", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_NameAndGroup_RefusedBeforeAnythingIsSent()
    {
        var run = await CliRun.RunAsync("export", "orders", "--group", "shop", "--admin", _cutover.Admin);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: 'export orders' exports one migration and --group shop a group; give one of them, or neither to export every migration.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_UnknownGroup_NamesTheGroupsThereAre()
    {
        var run = await CliRun.RunAsync("export", "--group", "shipping", "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No migration is in group 'shipping'. Groups: shop.", run.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_cutover.Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<CliRun> Succeeds(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--admin", _cutover.Admin]);
        Assert.True(run.ExitCode == 0, $"cutover {string.Join(' ', args)} failed ({run.ExitCode}): {run.Error}");
        return run;
    }
}
