using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.Extensions.Logging;
using RpcFleet;

namespace Cutover.Cli.Tests.Examples;

/// <summary>
/// examples/rpc-fleet as its README walks through it, with its durations shortened: the legacy and
/// the candidate process each hosting the twelve gRPC services, the example's cutover.yaml
/// (addresses, store and descriptor set moved), and the fleet's Grpc.Net.Client clients calling
/// every service through Cutover all along while the phases move, p4 first.
/// </summary>
public sealed class RpcFleetExampleTests : IAsyncLifetime
{
    private static readonly string Example = ExampleApp.Folder("rpc-fleet");

    // The phases in order, each its group and the member to promote per lockstep group, as run.sh moves them.
    private static readonly (string Group, string[] Promote)[] Phases =
    [
        ("p4", ["recommendations", "reviews", "notifications"]),
        ("p3", ["catalog"]),
        ("p2", ["inventory", "shipping"]),
        ("p1", ["accounts"]),
        ("p0", ["orders", "payments"]),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-example-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _admin = new();
    private ExampleApp _legacy = null!;
    private ExampleApp _candidate = null!;
    private CutoverHost _cutover = null!;
    private FleetCalls _calls = null!;
    private Task _traffic = Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _traffic;
        _calls?.Dispose();
        if (_cutover is not null)
        {
            await _cutover.DisposeAsync();
        }

        _legacy?.Dispose();
        _candidate?.Dispose();
        _admin.Dispose();
        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Fleet_PhaseByPhase_EveryServiceSwitchedToTheCandidateWithNoCallFailed()
    {
        await StartAsync(fault: false);

        // The lowest-risk phase first, then the other four at once: each traffic move waits for the
        // next 10-second metrics bucket, so five phases one after another (as run.sh moves them) take 100 s.
        await MovePhaseAsync(Phases[0].Group, Phases[0].Promote);
        Assert.All(await PlansAsync("p4"), plan => Assert.Equal("completed", plan));
        await Task.WhenAll(Phases[1..].Select(p => MovePhaseAsync(p.Group, p.Promote)));
        foreach (var (group, _) in Phases)
        {
            Assert.All(await PlansAsync(group), plan => Assert.Equal("completed", plan));
        }

        foreach (var service in Fleet.Services)
        {
            var (reply, version) = await _calls.CallAsync(service, "item-7", CancellationToken.None);
            Assert.Equal((service, "2"), (reply.Service, version));
        }

        Assert.True(_calls.Succeeded > 500, _calls.Summary());
        Assert.Equal(0, _calls.Failed);
        var summary = await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "status", "--summary");
        Assert.Contains("Fleet: 12 migrations: 12 migrated, 0 in progress, 0 rolled back, 0 not started; 0 rollbacks; success score 100/100.", summary.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fleet_CandidatePricingUnavailable_ParallelRunRollsBackItsLockstepPhaseWithAJsonReport()
    {
        await StartAsync(fault: true);

        await MovePhaseAsync("p4", Phases[0].Promote);
        await MovePhaseAsync("p3", Phases[1].Promote);

        // Pricing's divergence rolls back Catalog and Search with it: they move in lockstep.
        Assert.Equal(["rolled-back", "rolled-back", "rolled-back"], await PlansAsync("p3"));
        var report = JsonDocument.Parse((await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "report", "pricing")).Out).RootElement;
        Assert.Contains("divergenceRate > 0.01", report.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var search = JsonDocument.Parse((await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "report", "search")).Out).RootElement;
        Assert.Contains("lockstep group p3", search.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Clients never saw the fault: in the parallel run legacy answers every call.
        Assert.Equal(0, _calls.Failed);
        // Of 24 (p4 3 × low 1 … p0 2 × critical 4): p4's 3 migrated, less half of 1 for each of p3's 3 rollbacks.
        var summary = await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "status", "--summary");
        Assert.Contains("Fleet: 12 migrations: 3 migrated, 0 in progress, 3 rolled back, 6 not started; 3 rollbacks; success score 6.3/100.", summary.Out, StringComparison.Ordinal);
    }

    /// <summary>Both sides, Cutover on the example's config (durations shortened) and the clients calling through it.</summary>
    private async Task StartAsync(bool fault)
    {
        _legacy = ExampleApp.Start("rpc-fleet.dll", ExampleApp.FreeAddress(), "--side", "legacy");
        _candidate = ExampleApp.Start("rpc-fleet.dll", ExampleApp.FreeAddress(), ["--side", "candidate", .. fault ? new[] { "--fault", "Pricing" } : []]);
        foreach (var side in new[] { _legacy, _candidate })
        {
            // The services speak h2c only, /health included.
            side.Http.DefaultRequestVersion = HttpVersion.Version20;
            side.Http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            await side.EventuallyAsync(async () => (await side.Http.GetAsync("/health")).IsSuccessStatusCode, "the services to start");
        }

        var config = (await File.ReadAllTextAsync(Path.Combine(Example, "cutover.yaml")))
            .Replace("http://127.0.0.1:8101", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8102", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5401", _legacy.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5402", _candidate.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("sqlite:rpc-fleet-cutover.db", $"sqlite:{Path.Combine(_folder, "cutover.db")}", StringComparison.Ordinal)
            .Replace("descriptorSet: fleet.pb", $"descriptorSet: \"{Path.Combine(AppContext.BaseDirectory, "fleet.pb")}\"", StringComparison.Ordinal)
            .Replace("duration: 20s, minRequests: 40", "duration: 2s, minRequests: 10", StringComparison.Ordinal)
            .Replace("pause: { duration: 10s }", "pause: { duration: 1s }", StringComparison.Ordinal)
            .Replace("for 5s", "for 1s", StringComparison.Ordinal)
            .Replace("minSamples: 20", "minSamples: 10", StringComparison.Ordinal);
        _cutover = await CutoverHost.StartAsync(ConfigLoader.Load(config, "examples/rpc-fleet/cutover.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Warning });
        _admin.BaseAddress = _cutover.AdminAddress;
        _calls = new FleetCalls(_cutover.DataPlaneAddress);
        _traffic = _calls.RunAsync(perSecond: 240, _stop.Token);
    }

    /// <summary>Promotes a phase (its checks first) and waits until every service of the group is migrated or rolled back.</summary>
    private async Task MovePhaseAsync(string group, string[] promote)
    {
        foreach (var name in promote)
        {
            await _legacy.PromoteAsync(_cutover.AdminAddress, name, $"fleet phase {group}");
        }

        await _legacy.EventuallyAsync(
            async () => (await PlansAsync(group)) is var plans && (plans.All(p => p == "completed") || plans.Contains("rolled-back")),
            $"phase {group} to finish", TimeSpan.FromSeconds(40));
        // A lockstep group's members are rolled back in one look, stored one after another.
        if ((await PlansAsync(group)).Contains("rolled-back"))
        {
            await _legacy.EventuallyAsync(async () => (await PlansAsync(group)).All(p => p == "rolled-back"), $"all of {group} to roll back");
        }
    }

    private async Task<List<string?>> PlansAsync(string group)
    {
        var migrations = await _admin.GetFromJsonAsync<JsonElement>($"/api/migrations?group={group}");
        return [.. migrations.EnumerateArray().Select(m => m.GetProperty("plan").GetProperty("status").GetString())];
    }
}
