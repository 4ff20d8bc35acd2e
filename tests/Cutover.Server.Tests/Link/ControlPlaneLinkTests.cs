using System.Net.Http.Json;
using Cutover.Client.Comparison;
using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Link;
using Cutover.Kernel.Routing;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Server.Tests.Shadow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Link;

/// <summary>The SDK's link to a real Cutover: the state it decides by follows the control plane, survives its loss, and restarts from disk.</summary>
public sealed class ControlPlaneLinkTests : IDisposable
{
    private const string CodeMigration = """
          - name: billing-tax
            kind: code
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-link-").FullName;

    private string CacheFile => Path.Combine(_folder, "state", "cutover-state.json");

    [Fact]
    public async Task Link_WeightChanged_ReachesTheAppWithinASecondAndSurvivesTheControlPlaneGoingAway()
    {
        await using var server = await ProxyUnderTest.StartAsync(CodeMigration);
        var controlPlane = server.Host.AdminAddress;
        await using var app = await LinkedApp.StartAsync(controlPlane, CacheFile);
        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Legacy });
        await WaitUntilAsync(() => app.Status.Connected);

        await server.PostAsync("billing-tax", "weight", new { weight = 30, reason = "first users" });
        var took = await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Canary, Weight.Percent: 30 });
        Assert.True(took < TimeSpan.FromSeconds(1), $"the change took {took} to reach the app");

        await server.PostAsync("billing-tax", "mode", new { mode = "shadow" });
        took = await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Shadow, Weight.Percent: 30 });
        Assert.True(took < TimeSpan.FromSeconds(1), $"the change took {took} to reach the app");

        await server.StopAsync();
        await WaitUntilAsync(() => !app.Status.Connected && app.Status.Reconnects > 0);
        Assert.Equal((MigrationMode.Shadow, 30.0), (app.Table.Find("billing-tax")!.Mode, app.Table.Find("billing-tax")!.Weight));

        // A new process, the control plane still down: it decides from the cache file, before and while it fails to connect.
        await using var restarted = await LinkedApp.StartAsync(controlPlane, CacheFile);
        Assert.Equal((MigrationMode.Shadow, 30.0), (restarted.Table.Find("billing-tax")!.Mode, restarted.Table.Find("billing-tax")!.Weight));
        Assert.Equal(app.Table.Find("billing-tax")!.CandidateBuckets, restarted.Table.Find("billing-tax")!.CandidateBuckets);

        // Nothing known and nothing cached: legacy.
        await using var fresh = await LinkedApp.StartAsync(controlPlane, Path.Combine(_folder, "none.json"));
        Assert.Null(fresh.Table.Find("billing-tax"));
    }

    [Fact]
    public async Task Link_ControlPlaneComesBack_IsFollowedAgainAndARollbackReachesTheApp()
    {
        await using var server = await ProxyUnderTest.StartAsync(CodeMigration);
        await using var app = await LinkedApp.StartAsync(server.Host.AdminAddress, CacheFile);
        // The stream's first state (weight 0) before the change, so the app sees the change as one of its own.
        await app.WaitForAsync("billing-tax", s => s is not null);
        await server.PostAsync("billing-tax", "weight", new { weight = 50 });
        await app.WaitForAsync("billing-tax", s => s is { Weight.Percent: 50 });

        // Stop the stream from the server's side: the app reconnects and takes the full state again.
        var replica = await server.StartReplicaAsync(new() { LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning });
        await using (replica)
        {
            await using var second = await LinkedApp.StartAsync(replica.Host.AdminAddress, cacheFile: null);
            await second.WaitForAsync("billing-tax", s => s is { Weight.Percent: 50 });

            // Changed through the first replica; the second picks it up from the store and streams it on.
            await server.PostAsync("billing-tax", "rollback", new { reason = "p99 doubled" });
            await second.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Legacy, Weight.Percent: 0 }, TimeSpan.FromSeconds(3));
        }

        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Legacy, Weight.Percent: 0 });
        Assert.True(app.Status.StateChanges >= 3);
    }

    [Fact]
    public async Task Results_ReportedByTheApp_ShowInTheMigrationsCountsAndCallsItCannotSendAreCountedAsDropped()
    {
        await using var server = await ProxyUnderTest.StartAsync(CodeMigration);
        await using var app = await LinkedApp.StartAsync(server.Host.AdminAddress, CacheFile);
        await app.WaitForAsync("billing-tax", s => s is not null);

        var counters = app.Metrics.For("billing-tax");
        for (var i = 0; i < 10; i++)
        {
            counters.Legacy.Record(1_000, failed: false);
        }

        counters.Candidate.Record(2_000, failed: true);
        counters.Shadow.RecordCompared(equal: false);
        app.Metrics.For("not-configured").Legacy.Record(5, failed: false);
        await app.ReportAsync();

        var view = await server.MigrationAsync("billing-tax");
        Assert.Equal((10L, 0L, 1L, 1L), (view.Stats.Legacy.Requests, view.Stats.Legacy.Errors, view.Stats.Candidate.Requests, view.Stats.Candidate.Errors));
        Assert.Equal((1L, 1L), (view.Stats.Shadow.Compared, view.Stats.Shadow.Divergent));
        Assert.Equal(("code", "in-process"), (view.Kind, view.Legacy));
        var metrics = await server.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/migrations/billing-tax/metrics?window=1m");
        Assert.Equal(11, metrics.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("legacy").GetProperty("requests").GetInt64() + b.GetProperty("candidate").GetProperty("requests").GetInt64()));
        Assert.Equal((1L, 0L, 1L), (app.Status.ReportsSent, app.Status.ReportsDropped, app.Status.CallsDropped));

        // Sent once only: the next report has nothing new.
        await app.ReportAsync();
        Assert.Equal(10, (await server.MigrationAsync("billing-tax")).Stats.Legacy.Requests);

        await server.StopAsync();
        counters.Candidate.Record(2_000, failed: false);
        counters.Legacy.Record(1_000, failed: false);
        await app.ReportAsync();
        Assert.Equal((1L, 1L, 3L), (app.Status.ReportsSent, app.Status.ReportsDropped, app.Status.CallsDropped));
    }

    [Fact]
    public async Task Results_DivergentCallOfTheApp_ShowsInTheDivergencesWithRedactedFieldsMasked()
    {
        await using var server = await ProxyUnderTest.StartAsync(CodeMigration);
        await using var app = await LinkedApp.StartAsync(server.Host.AdminAddress, CacheFile, configure: o => o.RedactedFields.Add("Iban"));
        await server.PostAsync("billing-tax", "mode", new { mode = "shadow" });
        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Shadow });

        var tax = await app.Client.RunAsync("billing-tax", _ => Task.FromResult(new Tax("DE89370400440532013000", 19m)), _ => Task.FromResult(new Tax("DE89370400440532013000", 21m)), "user-7", Shadowed);
        await app.Client.RunAsync("billing-tax", _ => Task.FromResult(new Tax("x", 7m)), _ => Task.FromResult(new Tax("x", 7m)), "user-8", Shadowed);
        await app.ReportAsync();

        Assert.Equal(19m, tax.Rate);
        var view = (await server.Admin.GetFromJsonAsync<DivergencesView>("/api/migrations/billing-tax/divergences", ShadowHarness.Json))!;
        Assert.Equal((2L, 1L), (view.Shadow.Compared, view.Shadow.Divergent));
        var calls = Assert.Single(view.Endpoints);
        Assert.Equal(("(in-process calls)", 2L, 1L), (calls.Endpoint, calls.Compared, calls.Divergent));
        Assert.Equal(("$.rate", 1L), (Assert.Single(calls.Paths).Path, calls.Paths[0].Count));
        var sample = view.Sample!;
        Assert.Null(sample.Request);
        Assert.Equal(new SampleCall("billing", "user-7"), sample.Call);
        Assert.Equal("""{"iban":"[redacted]","rate":19}""", sample.Legacy.Body);
        Assert.Equal("""{"iban":"[redacted]","rate":21}""", sample.Candidate.Body);
        Assert.Equal((null, null), (sample.Legacy.Status, sample.Legacy.LatencyMs));
        Assert.Equal(new Difference("$.rate", DifferenceKind.ValueChanged, "19", "21"), Assert.Single(sample.Differences));
        Assert.Equal((1L, 0L), (app.Status.SamplesSent, app.Status.SamplesDropped));

        await server.StopAsync();
        await app.Client.RunAsync("billing-tax", _ => Task.FromResult(new Tax("x", 1m)), _ => Task.FromResult(new Tax("x", 2m)), "user-9", Shadowed);
        await app.ReportAsync();
        Assert.Equal((1L, 1L), (app.Status.SamplesSent, app.Status.SamplesDropped));
    }

    [Fact]
    public async Task Link_ControlPlaneTooBusyToListMigrations_FollowsTheStreamsSnapshotAlone()
    {
        // A control plane that streams its state but cannot list the migrations (as one with a
        // thousand of them could not, for two thousand applications connecting at once).
        var listed = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var controlPlane = builder.Build();
        controlPlane.MapGet("/api/migrations", () =>
        {
            Interlocked.Increment(ref listed);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        controlPlane.MapGet("/api/events", async (HttpContext context) =>
        {
            context.Response.ContentType = LinkEvents.ContentType;
            await context.Response.WriteAsync("""
                event: snapshot
                data: {"migrations":[{"name":"billing-tax","mode":"canary","weight":30,"version":4}]}


                """);
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await controlPlane.StartAsync();

        await using var app = await LinkedApp.StartAsync(new Uri(controlPlane.Urls.First()), cacheFile: null);

        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Canary, Weight.Percent: 30, Version: 4 }, TimeSpan.FromSeconds(5));
        Assert.True(app.Status.Connected);
        Assert.Equal(0, Volatile.Read(ref listed));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly RunOptions<Tax> Shadowed = new() { ShadowExecution = ShadowExecution.AfterLegacy, Comparison = ResultComparison<Tax>.Json() };

    private sealed record Tax(string Iban, decimal Rate);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
