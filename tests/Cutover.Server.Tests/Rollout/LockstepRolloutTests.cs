using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.State;

namespace Cutover.Server.Tests.Rollout;

/// <summary>
/// A lockstep group end to end: two migrations of group checkout on real backends and a manual
/// clock, whose plans take each step together and are rolled back (or halted) together.
/// </summary>
public sealed class LockstepRolloutTests
{
    // Same steps; payments bakes longer at step 2, so cart waits for it there.
    private static string Plan(string pause, string pointOfNoReturn = "") => $$"""
        group: checkout
        plan:
          steps:
            - weight: 10
            - pause: { duration: {{pause}} }
            - weight: 50{{pointOfNoReturn}}
            - pause: { duration: 30m }
            - weight: 100
          gates: ["candidate.errorRate <= 0.01"]
          minSamples: 20
        """;

    private const string Lockstep = "lockstep: [checkout]";

    private static Task<RolloutHarness> StartAsync(string pointOfNoReturn = "") =>
        RolloutHarness.StartFleetAsync([("cart", Plan("1m", pointOfNoReturn)), ("payments", Plan("3m", pointOfNoReturn))], topLevel: Lockstep);

    [Fact]
    public async Task Group_TakesEachStepTogether_TheMemberDoneFirstWaitingForTheOthers()
    {
        await using var harness = await StartAsync();
        await harness.SendTrafficAsync();

        (await harness.PostAsync("promote", new { reason = "checkout moves" }, migration: "cart")).EnsureSuccessStatusCode();
        var payments = await harness.Proxy.MigrationAsync("payments");
        Assert.Equal(("running", 1, "canary", 10.0), (payments.Plan!.Status, payments.Plan.Step, payments.Mode, payments.Weight.Percent));
        Assert.True(payments.Lockstep);

        await harness.DriveUntilAsync(v => v.Plan!.Note.Contains("waiting for lockstep group", StringComparison.Ordinal), TimeSpan.FromMinutes(3), migration: "cart");
        var waiting = await harness.Proxy.MigrationAsync("cart");
        Assert.Equal((2, "pause 1m done; waiting for lockstep group checkout: payments"), (waiting.Plan!.Step, waiting.Plan.Note));
        Assert.Equal(10.0, waiting.Weight.Percent);

        await harness.DriveUntilAsync(v => v.Plan!.Step == 3, TimeSpan.FromMinutes(5), migration: "cart");
        var cart = await harness.Proxy.MigrationAsync("cart");
        payments = await harness.Proxy.MigrationAsync("payments");
        Assert.Equal((3, 50.0), (cart.Plan!.Step, cart.Weight.Percent));
        Assert.Equal((3, 50.0), (payments.Plan!.Step, payments.Weight.Percent));
        var started = (await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=payments"))!.Single(a => a.Action == "start");
        Assert.Equal("with lockstep group checkout, start cart: checkout moves", started.Reason);
        var fleet = await harness.Proxy.Admin.GetFromJsonAsync<JsonElement>("/api/fleet");
        Assert.True(fleet.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "checkout").GetProperty("lockstep").GetBoolean());
    }

    [Fact]
    public async Task Trigger_OnOneMember_RollsBackTheWholeGroup()
    {
        await using var harness = await StartAsync();
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote", migration: "cart")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(2), migration: "cart");

        harness.CandidateFailsUnder = "/payments";
        await harness.DriveUntilAsync(v => v.Plan!.Status == "rolled-back", TimeSpan.FromMinutes(2), requestsPerSecond: 80, migration: "cart");

        var cart = await harness.Proxy.MigrationAsync("cart");
        var payments = await harness.Proxy.MigrationAsync("payments");
        Assert.Equal(("legacy", "rolled-back"), (payments.Mode, payments.Plan!.Status));
        Assert.Equal(("legacy", 0.0), (cart.Mode, cart.Weight.Percent));
        Assert.StartsWith("trigger fired: candidate.errorRate", payments.Plan.Note);
        var rollback = (await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=cart"))!.First(a => a.Action == "rollback");
        Assert.StartsWith("with lockstep group checkout, like payments: trigger fired: candidate.errorRate", rollback.Reason);
        Assert.Equal(2, harness.EventKinds.Count(k => k == "rolled-back"));
    }

    [Fact]
    public async Task Trigger_OnOneMemberPastThePointOfNoReturn_HaltsTheWholeGroup()
    {
        await using var harness = await StartAsync(pointOfNoReturn: "\n    - pointOfNoReturn: { note: the new store is written }");
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote", migration: "cart")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 5, TimeSpan.FromMinutes(8), migration: "cart");

        harness.CandidateFailsUnder = "/cart";
        await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(2), requestsPerSecond: 80, migration: "payments");

        var cart = await harness.Proxy.MigrationAsync("cart");
        var payments = await harness.Proxy.MigrationAsync("payments");
        Assert.Equal(("canary", 50.0, "paused"), (cart.Mode, cart.Weight.Percent, cart.Plan!.Status));
        Assert.Equal(("canary", 50.0, "paused"), (payments.Mode, payments.Weight.Percent, payments.Plan!.Status));
        Assert.StartsWith("halted: trigger fired", cart.Plan.Note);
        Assert.StartsWith("halted: with lockstep group checkout, like cart: halted: trigger fired", payments.Plan.Note);

        using var refused = await harness.PostAsync("rollback", new { reason = "back" }, migration: "payments");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("canary", (await harness.Proxy.MigrationAsync("cart")).Mode);
    }

    [Fact]
    public async Task PersonsCommands_OnOneMember_ActOnTheWholeGroup()
    {
        await using var harness = await StartAsync();
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote", migration: "payments")).EnsureSuccessStatusCode();
        Assert.Equal("running", (await harness.Proxy.MigrationAsync("cart")).Plan!.Status);

        (await harness.PostAsync("pause", new { reason = "lunch" }, migration: "cart")).EnsureSuccessStatusCode();
        Assert.Equal("paused", (await harness.Proxy.MigrationAsync("payments")).Plan!.Status);
        await harness.DriveForAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("paused", (await harness.Proxy.MigrationAsync("payments")).Plan!.Status);

        (await harness.PostAsync("resume", migration: "payments")).EnsureSuccessStatusCode();
        await harness.DriveForAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(("running", "running"), ((await harness.Proxy.MigrationAsync("cart")).Plan!.Status, (await harness.Proxy.MigrationAsync("payments")).Plan!.Status));

        (await harness.PostAsync("rollback", new { reason = "not today" }, migration: "cart")).EnsureSuccessStatusCode();
        var payments = await harness.Proxy.MigrationAsync("payments");
        Assert.Equal(("legacy", "rolled-back"), (payments.Mode, payments.Plan!.Status));

        (await harness.PostAsync("retry", migration: "payments")).EnsureSuccessStatusCode();
        Assert.Equal(("running", 1), ((await harness.Proxy.MigrationAsync("cart")).Plan!.Status, (await harness.Proxy.MigrationAsync("cart")).Plan!.Step));
    }

    [Fact]
    public async Task Apply_APlanThatNoLongerFitsTheGroup_IsRefusedAndChangesNothing()
    {
        await using var harness = await StartAsync();
        var file = harness.Proxy.ConfigText().Replace("pause: { duration: 3m }", "weight: 20", StringComparison.Ordinal);

        using var refused = await harness.Proxy.ApplyAsync(file, reason: "faster payments");

        Assert.False(refused.IsSuccessStatusCode);
        Assert.Contains("lockstep: step 2 of 'payments' is 'weight 20' and of 'cart' 'pause 1m'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(5, (await harness.Proxy.MigrationAsync("payments")).Plan!.StepCount);
        Assert.Equal("pause 3m", (await harness.Proxy.MigrationAsync("payments")).Plan!.Steps[1]);
    }
}
