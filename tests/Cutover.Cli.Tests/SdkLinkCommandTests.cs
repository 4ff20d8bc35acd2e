using Cutover.Client.Comparison;
using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Kernel.Routing;
using Cutover.Server.Tests.Link;
using Cutover.Testing;

namespace Cutover.Cli.Tests;

/// <summary>
/// The issue's scenario with real processes: <c>cutover serve</c> as a process of its own, an
/// application with the SDK's link following it, <c>cutover weight</c> moving the migration, and
/// the server killed under the application.
/// </summary>
public sealed class SdkLinkCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-sdk-").FullName;

    [Fact]
    public async Task Weight_LinkedApp_FollowsWithinASecondAndKeepsDecidingAfterTheServerIsKilled()
    {
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/");
        var config = ServeConfig.Write(_folder, admin, """
              - name: billing-tax
                kind: code
            """);
        using var server = CutoverProcess.Start("serve", "-c", config);
        await server.WaitForReadyAsync(admin);
        var cache = Path.Combine(_folder, "app", "state.json");
        await using var app = await LinkedApp.StartAsync(admin, cache);
        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Legacy });

        var run = await CliRun.RunAsync("weight", "billing-tax", "30", "--reason", "first users", "--admin", admin.ToString());
        Assert.Equal(0, run.ExitCode);
        var took = await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Canary, Weight.Percent: 30 });
        Assert.True(took < TimeSpan.FromSeconds(1), $"cutover weight took {took} to reach the app");
        var decided = Enumerable.Range(0, 1000).Select(user => StickyBucket.Compute("billing-tax", $"user-{user}") < app.Table.Find("billing-tax")!.CandidateBuckets).ToList();

        await server.KillAsync();
        await Task.Delay(500);
        Assert.Equal((MigrationMode.Canary, 30.0), (app.Table.Find("billing-tax")!.Mode, app.Table.Find("billing-tax")!.Weight));

        await using var restarted = await LinkedApp.StartAsync(admin, cache);
        Assert.Equal(decided, Enumerable.Range(0, 1000).Select(user => StickyBucket.Compute("billing-tax", $"user-{user}") < restarted.Table.Find("billing-tax")!.CandidateBuckets));
        Assert.False(restarted.Status.Connected);
    }

    [Fact]
    public async Task Diff_DivergentCallTheAppReported_ShowsItWithItsStickyKeyAndBothResults()
    {
        await using var server = await RunningCutover.StartAsync("""
              - name: billing-tax
                kind: code
                mode: shadow
            """);
        await using var app = await LinkedApp.StartAsync(server.Host.AdminAddress, cacheFile: null);
        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Shadow });
        var options = new RunOptions<Dictionary<string, decimal>> { ShadowExecution = ShadowExecution.AfterLegacy, Comparison = ResultComparison<Dictionary<string, decimal>>.Json() };
        await app.Client.RunAsync("billing-tax", _ => Task.FromResult(new Dictionary<string, decimal> { ["rate"] = 19m }), _ => Task.FromResult(new Dictionary<string, decimal> { ["rate"] = 21m }), "user-7", options);
        await app.ReportAsync();

        var run = await CliRun.RunAsync("diff", "billing-tax", "--admin", server.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"\(in-process calls\)\s+\$\.rate\s+value changed\s+1\s+100% of 1", run.Out);
        Assert.Matches(@"Sample \d+: \(in-process calls\), differing at \$\.rate", run.Out);
        Assert.Contains("In-process call in billing, sticky key user-7: legacy's and the candidate's results", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n {2}""rate"": 19 +\| {3}""rate"": 21\n", run.Out);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
