using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>
/// <c>cutover status</c> over a real Cutover whose migrations carry groups and priorities: the
/// table sorted by priority, the fleet summary under it, the group filter, one migration's steps.
/// </summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var backend = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var url = backend.Urls.First();
        _cutover = await RunningCutover.StartAsync($$"""
              - name: users
                match: { pathPrefix: /users }
                legacy: {{url}}
                candidate: {{url}}
                priority: low
              - name: billing
                match: { pathPrefix: /billing }
                legacy: {{url}}
                candidate: {{url}}
                group: payments
                priority: high
              - name: search
                match: { pathPrefix: /search }
                legacy: {{url}}
                candidate: {{url}}
                group: catalog
              - name: orders
                match: { pathPrefix: /orders }
                legacy: {{url}}
                candidate: {{url}}
                group: payments
                priority: critical
                plan:
                  steps:
                    - pause: { duration: 1h }
                    - weight: 100
            """, backend);
        await Succeeds("promote", "orders", "--force");
        await Succeeds("mode", "search", "candidate");
        await Succeeds("weight", "billing", "10");
        await Succeeds("rollback", "billing", "-r", "errors in the ledger");
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public async Task Status_ListsTheMostUrgentFirstWithGroupPriorityAndPlan_ThenTheFleetSummary()
    {
        var run = await CliRun.RunAsync("status", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"NAME\s+GROUP\s+PRIORITY\s+MODE\s+WEIGHT\s+PLAN\s+LEGACY req/err", run.Out);
        Assert.Matches(@"orders\s+payments\s+critical\s+legacy\s+0%\s+running 1/2, \d+s\s+0/0", run.Out);
        Assert.Matches(@"billing\s+payments\s+high\s+legacy\s+0%\s+—", run.Out);
        Assert.Matches(@"search\s+catalog\s+normal\s+candidate", run.Out);
        Assert.Matches(@"users\s+—\s+low\s+legacy", run.Out);
        Assert.True(Order(run.Out, "orders\t", "billing\t", "search\t", "users\t"), run.Out);
        Assert.Contains("Fleet: 4 migrations: 1 migrated, 1 in progress, 0 rolled back, 2 not started; 1 rollback; success score 5/100.", run.Out, StringComparison.Ordinal);
        Assert.Contains("Latency change of the migrated: none measured (1 migrated, none with a plan step that had enough requests on both sides).", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"GROUP\s+TOTAL\s+MIGRATED\s+IN PROGRESS\s+ROLLED BACK\s+NOT STARTED\s+ROLLBACKS\s+P50 CHANGE\s+P99 CHANGE", run.Out);
        Assert.Matches(@"payments\s+2\s+0\s+1\s+0\s+1\s+1\s+—\s+—", run.Out);
        Assert.Matches(@"\(none\)\s+1\s+0\s+0\s+0\s+1\s+0", run.Out);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task StatusGroup_ShowsOnlyThatGroupAndItsCounts()
    {
        var run = await CliRun.RunAsync("status", "--group", "payments", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("orders", run.Out, StringComparison.Ordinal);
        Assert.Contains("billing", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("search", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("users", run.Out, StringComparison.Ordinal);
        Assert.Contains("Group payments: 2 migrations: 0 migrated, 1 in progress, 0 rolled back, 1 not started; 1 rollback; success score 0/100.", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ROLLED BACK", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusJson_StaysTheArrayOfMigrationsInConfigOrder_WithGroupAndPriority()
    {
        var run = await CliRun.RunAsync("status", "--json", "--admin", _cutover.Admin);

        var migrations = JsonDocument.Parse(run.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(["users", "billing", "search", "orders"], migrations.Select(m => m.GetProperty("name").GetString()));
        var orders = migrations[3];
        Assert.Equal(("legacy", 0.0), (orders.GetProperty("mode").GetString(), orders.GetProperty("weight").GetDouble()));
        Assert.Equal(("payments", "critical"), (orders.GetProperty("group").GetString(), orders.GetProperty("priority").GetString()));
        Assert.Equal(JsonValueKind.Null, migrations[0].GetProperty("group").ValueKind);
    }

    [Fact]
    public async Task StatusGroupJson_IsTheArrayOfThatGroup()
    {
        var run = await CliRun.RunAsync("status", "--group", "payments", "--json", "--admin", _cutover.Admin);

        Assert.Equal(["billing", "orders"], JsonDocument.Parse(run.Out).RootElement.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task StatusSummaryJson_PrintsTheFleetView()
    {
        var run = await CliRun.RunAsync("status", "--summary", "--json", "--admin", _cutover.Admin);

        var fleet = JsonDocument.Parse(run.Out).RootElement;
        var totals = fleet.GetProperty("totals");
        Assert.Equal((4, 1, 1, 0, 2, 1), (totals.GetProperty("total").GetInt32(), totals.GetProperty("migrated").GetInt32(), totals.GetProperty("inProgress").GetInt32(),
            totals.GetProperty("rolledBack").GetInt32(), totals.GetProperty("notStarted").GetInt32(), totals.GetProperty("rollbacks").GetInt32()));
        Assert.Equal(["orders", "billing", "search", "users"], fleet.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("pause 1h", fleet.GetProperty("migrations")[0].GetProperty("steps")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task StatusSummary_PrintsOnlyTheSummary()
    {
        var run = await CliRun.RunAsync("status", "--summary", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Fleet: 4 migrations:", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("LEGACY req/err", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusOfOneMigration_ShowsTheTimeInEachStepOfItsPlan()
    {
        var run = await CliRun.RunAsync("status", "orders", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Steps of the plan's latest run:", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"STEP\s+DESCRIPTION\s+ENTERED \(UTC\)\s+LEFT \(UTC\)\s+TIME", run.Out);
        Assert.Matches(@"1\s+pause 1h\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+—\s+\d+s so far", run.Out);
        Assert.Contains("orders: in-progress, 0 rollbacks; no latency change measured (no move of its plan had enough requests on both sides).", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusOfOneMigration_PlanCompleted_SaysCompletedOnce()
    {
        // Started, then past its hour's pause; the weight step without gates is left at the orchestrator's next look.
        for (var move = 0; move < 2; move++)
        {
            var promoted = await CliRun.RunAsync("promote", "orders", "--force", "--admin", _cutover.Admin);
            Assert.True(promoted.ExitCode == 0, promoted.Error);
        }

        CliRun run;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(100);
            run = await CliRun.RunAsync("status", "orders", "--admin", _cutover.Admin);
        }
        while (!run.Out.Contains("Plan: completed", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Contains("\nPlan: completed\n", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusOfOneMigration_WithoutPlan_ShowsItsRollbacks()
    {
        var run = await CliRun.RunAsync("status", "billing", "--admin", _cutover.Admin);

        Assert.DoesNotContain("Steps of the plan", run.Out, StringComparison.Ordinal);
        Assert.Contains("billing: not-started, 1 rollback; no latency change measured", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusUnknownGroup_FailsNamingTheGroupsThereAre()
    {
        var run = await CliRun.RunAsync("status", "--group", "shipping", "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: No migration is in group 'shipping'. Groups: catalog, payments.", run.Error.Trim());
    }

    [Theory]
    [InlineData("--group", "payments")]
    [InlineData("--summary")]
    public async Task StatusOfOneMigration_WithAFleetOption_IsABadCommandLine(params string[] option)
    {
        var run = await CliRun.RunAsync(["status", "orders", .. option, "--admin", _cutover.Admin]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: 'status orders' shows one migration; leave out --group and --summary, or leave out the name to see the fleet.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    private async Task Succeeds(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--admin", _cutover.Admin]);
        Assert.True(run.ExitCode == 0, run.Error);
    }

    private static bool Order(string text, params string[] names) =>
        names.Select(n => text.IndexOf(n, StringComparison.Ordinal)).Zip(names.Skip(1).Select(n => text.IndexOf(n, StringComparison.Ordinal))).All(p => p.First >= 0 && p.First < p.Second);
}
