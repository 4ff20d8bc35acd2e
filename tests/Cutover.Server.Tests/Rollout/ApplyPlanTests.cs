using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Core.State;
using Cutover.Server.Admin;
using Cutover.Server.Control;

namespace Cutover.Server.Tests.Rollout;

/// <summary>Plans given with <c>cutover apply</c>: a real proxy, real backends and store, the orchestrator on a manual clock.</summary>
public sealed class ApplyPlanTests
{
    private const string ShortWalk = """
        steps:
          - weight: 10
          - pause: { duration: 1m }
          - weight: 50
        minSamples: 20
        """;

    private const string OtherWalk = """
        steps:
          - weight: 25
          - weight: 100
        """;

    [Fact]
    public async Task Apply_APlanToAMigrationWithout_SurvivesARestartAndPromoteRunsIt()
    {
        await using var harness = await RolloutHarness.StartAsync(plan: null);

        using var response = await harness.ApplyAsync(ShortWalk);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var orders = Assert.Single((await response.Content.ReadFromJsonAsync<ApplyResult>())!.Migrations);
        Assert.Equal([new FieldChange("plan", "none", "weight 10, pause 1m, weight 50")], orders.Changes);
        Assert.Equal(["plan ready; `cutover promote orders` starts it"], orders.Notes);
        var audit = (await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders"))![0];
        Assert.Equal(("apply", "local (on behalf of alice)", "new plan", "mode=legacy weight=0 plan=ready step=1"), (audit.Action, audit.Actor, audit.Reason, audit.After));

        // The file serve restarts with has no plan: the applied one wins, as state changed at run time does.
        await harness.RestartAsync(down: TimeSpan.FromMinutes(1));
        var ready = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("ready", 3), (ready.Plan?.Status, ready.Plan?.StepCount));

        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        Assert.Equal(("canary", 10.0), ((await harness.Proxy.MigrationAsync("orders")).Mode, (await harness.Proxy.MigrationAsync("orders")).Weight));
        await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(3));
        Assert.Equal("completed", (await harness.Proxy.MigrationAsync("orders")).Plan!.Status);
    }

    [Fact]
    public async Task Apply_WithoutThePlan_RemovesItAndARestartOnTheFileWithItKeepsItRemoved()
    {
        await using var harness = await RolloutHarness.StartAsync(ShortWalk);

        using var response = await harness.ApplyAsync(plan: null);

        var orders = Assert.Single((await response.Content.ReadFromJsonAsync<ApplyResult>())!.Migrations);
        Assert.Equal([new FieldChange("plan", "weight 10, pause 1m, weight 50", "none")], orders.Changes);
        Assert.Null((await harness.Proxy.MigrationAsync("orders")).Plan);
        await harness.RestartAsync(down: TimeSpan.FromMinutes(1));
        Assert.Null((await harness.Proxy.MigrationAsync("orders")).Plan);
        using var promote = await harness.PostAsync("promote");
        Assert.Equal(HttpStatusCode.Conflict, promote.StatusCode);
        Assert.Contains("has no plan", await promote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_AnotherPlanAfterTheFirstCompleted_ReplacesItReadyToStart()
    {
        await using var harness = await RolloutHarness.StartAsync(OtherWalk);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote", new { force = true })).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Status == "completed", TimeSpan.FromMinutes(1));

        using var response = await harness.ApplyAsync(ShortWalk);

        var changes = Assert.Single((await response.Content.ReadFromJsonAsync<ApplyResult>())!.Migrations).Changes;
        Assert.Equal(
            [new FieldChange("plan.steps", "weight 25, weight 100", "weight 10, pause 1m, weight 50"), new FieldChange("plan.minSamples", "100", "20")],
            changes);
        var view = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("ready", 1, "weight 10"), (view.Plan!.Status, view.Plan.Step, view.Plan.Steps[0]));
        Assert.Equal(("canary", 100.0), (view.Mode, view.Weight));
    }

    [Fact]
    public async Task Apply_WhileThePlanRuns_LeavesTrafficToItAndRefusesToReplaceIt()
    {
        await using var harness = await RolloutHarness.StartAsync(ShortWalk);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(1));

        // The file serve started with, which writes "mode: legacy, weight: 0": the running plan keeps the traffic.
        using var same = await harness.ApplyAsync(ShortWalk, mode: "legacy", weight: 0);
        using var replaced = await harness.ApplyAsync(OtherWalk);

        var orders = Assert.Single((await same.Content.ReadFromJsonAsync<ApplyResult>())!.Migrations);
        Assert.Empty(orders.Changes);
        Assert.StartsWith("mode and weight left alone (mode canary → legacy, weight 10 → 0): its plan is running at step 2", Assert.Single(orders.Notes), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, replaced.StatusCode);
        var reason = Assert.Single((await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reasons").EnumerateArray()).GetString();
        Assert.Equal("migration 'orders': its plan is running at step 2, so apply cannot replace it; `cutover abort orders` or wait for the plan to finish, then apply again", reason);
        var view = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 10.0, "running", 2, 3), (view.Mode, view.Weight.Percent, view.Plan!.Status, view.Plan.Step, view.Plan.StepCount));
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        Assert.DoesNotContain(audit!, a => a.Action == "apply");
    }

    [Fact]
    public async Task Apply_APlanWithAPointOfNoReturnWindowAndDeadline_KeepsThemAcrossARestart()
    {
        await using var harness = await RolloutHarness.StartAsync(ShortWalk);

        using var response = await harness.ApplyAsync("""
            steps:
              - weight: 10
              - pointOfNoReturn: { note: "the candidate now writes the new store" }
              - weight: 50
            window: { days: [mon, fri], hours: "22:00-06:00", timeZone: America/New_York }
            progressDeadline: 45m
            """);
        var orders = Assert.Single((await response.Content.ReadFromJsonAsync<ApplyResult>())!.Migrations);
        await harness.RestartAsync(down: TimeSpan.FromMinutes(1));

        var plan = (await harness.Proxy.MigrationAsync("orders")).Plan!;
        Assert.Contains(new FieldChange("plan.window", "none", "mon,fri 22:00-06:00 America/New_York"), orders.Changes);
        Assert.Contains(new FieldChange("plan.progressDeadline", "none", "45m"), orders.Changes);
        Assert.Equal(new PointOfNoReturnView(2, "the candidate now writes the new store", false), plan.PointOfNoReturn);
        Assert.Equal(("mon,fri 22:00-06:00 America/New_York", "45m"), (plan.Window!.Text, plan.ProgressDeadline));
    }
}
