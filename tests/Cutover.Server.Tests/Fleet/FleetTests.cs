using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Fleet;
using Cutover.Core.State;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Rollout;

namespace Cutover.Server.Tests.Fleet;

/// <summary>
/// <c>GET /api/fleet</c> over a real proxy whose migrations went different ways: one walked its
/// plan to retire, one was rolled back twice, one is shadowing, one was never touched. The fleet
/// is driven once (<see cref="FleetScenario"/>) and every test reads it.
/// </summary>
public sealed class FleetTests(FleetScenario scenario) : IClassFixture<FleetScenario>
{
    private readonly RolloutHarness _harness = scenario.Harness;
    private readonly FleetView _fleet = scenario.Fleet;

    [Fact]
    public void Fleet_MigrationsThatWentDifferentWays_CountsEachPhaseAndEveryRollback()
    {
        var totals = _fleet.Totals;

        Assert.Equal((4, 1, 1, 1, 1), (totals.Total, totals.Migrated, totals.InProgress, totals.RolledBack, totals.NotStarted));
        Assert.Equal(2, totals.Rollbacks);
        // Of 4 + 3 + 2 + 1: the critical one migrated, less half the high one's 3 for each of its two rollbacks.
        Assert.Equal(10, totals.SuccessScore);
        Assert.Equal(["orders", "billing", "search", "users"], _fleet.Migrations.Select(m => m.Name));
        Assert.Equal(["critical", "high", "normal", "low"], _fleet.Migrations.Select(m => m.Priority));
        Assert.Equal(["migrated", "rolled-back", "in-progress", "not-started"], _fleet.Migrations.Select(m => m.Phase));
        Assert.Equal(_harness.Time.GetUtcNow(), _fleet.At);
        Assert.Null(_fleet.Group);
    }

    [Fact]
    public async Task Fleet_CompletedMigration_ShowsTheLatencyChangeJudgedWhenItLastLeftAStepWithBothSidesServing()
    {
        var orders = Migration("orders");

        // The newest move whose window held at least minSamples on both sides: at 100% legacy stops serving, so it is the
        // move out of the pause at 50%, or the one out of 100% while its window still holds the 10-second bucket legacy served in.
        var audit = await _harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        var judged = audit!.First(a => a.Action == "step" && BothSidesSampled(JsonDocument.Parse(a.Evidence!).RootElement));
        Assert.Contains("plan=running step=", judged.Before, StringComparison.Ordinal);
        var evidence = JsonDocument.Parse(judged.Evidence!).RootElement;
        var change = Assert.IsType<LatencyChange>(orders.LatencyChange);
        Assert.Equal(judged.Time, change.At);
        Assert.Equal(evidence.GetProperty("legacy").GetProperty("p50Ms").GetDouble(), change.LegacyP50Ms);
        Assert.Equal(evidence.GetProperty("candidate").GetProperty("p99Ms").GetDouble(), change.CandidateP99Ms);
        Assert.Equal(((change.CandidateP50Ms / change.LegacyP50Ms) - 1) * 100, change.P50Percent, precision: 9);
        Assert.True(change.LegacyRequests >= 20 && change.CandidateRequests >= 20);

        // Only the completed migration counts towards the fleet's mean.
        Assert.Equal(1, _fleet.Totals.LatencyMeasured);
        Assert.Equal(change.P50Percent, _fleet.Totals.P50ChangePercent);
        Assert.Equal(change.P99Percent, _fleet.Totals.P99ChangePercent);
    }

    [Fact]
    public async Task Fleet_CompletedPlan_ShowsEachStepsEntryExitAndDurationAsTheAuditLogRecordedThem()
    {
        var steps = Migration("orders").Steps;

        Assert.Equal(["weight 50", "pause 30s", "weight 100", "retire"], steps.Select(s => s.Description));
        Assert.Equal([1, 2, 3, 4], steps.Select(s => s.Step));
        var audit = (await _harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders"))!;
        Assert.Equal(audit.Single(a => a.Action == "start").Time, steps[0].EnteredAt);
        Assert.Equal(audit[0].Time, steps[^1].LeftAt);
        Assert.All(steps.Zip(steps.Skip(1)), pair => Assert.Equal(pair.First.LeftAt, pair.Second.EnteredAt));
        Assert.All(steps, s => Assert.Equal((s.LeftAt!.Value - s.EnteredAt).TotalSeconds, s.Seconds));
        Assert.InRange(steps[1].Seconds, 30, 32);
        // The retire step lasts until the orchestrator's next look finds legacy drained: a tick of the test's clock.
        Assert.InRange(steps[3].Seconds, 0, 2);
        Assert.StartsWith("retire: legacy drained", audit.First(a => a.Action == "step").Reason, StringComparison.Ordinal);
        Assert.Null(Migration("orders").Step);
    }

    [Fact]
    public void Fleet_RolledBackMigration_ShowsItsLatestRunUpToTheRollback()
    {
        var billing = Migration("billing");

        Assert.Equal((2, "rolled-back", "legacy", (int?)null), (billing.Rollbacks, billing.Plan, billing.Mode, billing.Step));
        Assert.Equal(["weight 10", "pause until promoted"], billing.Steps.Select(s => s.Description));
        Assert.All(billing.Steps, s => Assert.NotNull(s.LeftAt));
        Assert.Equal(billing.Steps[0].LeftAt, billing.Steps[1].EnteredAt);
    }

    [Fact]
    public void Fleet_MigrationUnderWay_ShowsItsCurrentStepWithTheTimeSoFar()
    {
        var search = Migration("search");

        Assert.Equal(("in-progress", "running", "shadow", 1), (search.Phase, search.Plan, search.Mode, search.Step));
        var current = Assert.Single(search.Steps);
        Assert.Equal("shadow 10m, 0 compared", current.Description);
        Assert.Null(current.LeftAt);
        Assert.Equal((_fleet.At - current.EnteredAt).TotalSeconds, current.Seconds);
        Assert.InRange(current.Seconds, 90, 91);
        Assert.Null(search.LatencyChange);
    }

    [Fact]
    public void Fleet_UntouchedMigration_HasNoGroupNoStepsAndNoLatencyChange()
    {
        var users = Migration("users");

        Assert.Equal((null, "low", "not-started", 0), (users.Group, users.Priority, users.Phase, users.Rollbacks));
        Assert.Null(users.Plan);
        Assert.Empty(users.Steps);
        Assert.Null(users.LatencyChange);
    }

    [Fact]
    public void Fleet_Groups_AreEachCountedByNameWithTheUngroupedLast()
    {
        Assert.Equal(["catalog", "payments", null], _fleet.Groups.Select(g => g.Group));
        var payments = _fleet.Groups[1].Totals;
        Assert.Equal((2, 1, 0, 1, 0, 2, 1), (payments.Total, payments.Migrated, payments.InProgress, payments.RolledBack, payments.NotStarted, payments.Rollbacks, payments.LatencyMeasured));
        Assert.Equal((1, 1), (_fleet.Groups[0].Totals.Total, _fleet.Groups[0].Totals.InProgress));
        Assert.Equal((1, 1), (_fleet.Groups[2].Totals.Total, _fleet.Groups[2].Totals.NotStarted));
    }

    [Fact]
    public async Task Fleet_GroupFilter_SummarisesOnlyThatGroup()
    {
        var payments = await FleetAsync("/api/fleet?group=payments");

        Assert.Equal("payments", payments.Group);
        Assert.Equal(["orders", "billing"], payments.Migrations.Select(m => m.Name));
        Assert.Equal((2, 1, 1, 2), (payments.Totals.Total, payments.Totals.Migrated, payments.Totals.RolledBack, payments.Totals.Rollbacks));
        Assert.Equal(14.3, payments.Totals.SuccessScore);
        Assert.Equal("payments", Assert.Single(payments.Groups).Group);
    }

    [Fact]
    public async Task Migrations_GroupFilter_ListsTheGroupsMigrationsInConfigOrder()
    {
        var payments = await _harness.Proxy.Admin.GetFromJsonAsync<List<MigrationView>>("/api/migrations?group=payments");

        Assert.Equal(["billing", "orders"], payments!.Select(m => m.Name));
    }

    [Theory]
    [InlineData("/api/fleet?group=shipping")]
    [InlineData("/api/migrations?group=shipping")]
    public async Task GroupFilter_UnknownGroup_Is404NamingTheGroupsThereAre(string path)
    {
        using var response = await _harness.Proxy.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unknown group", problem.GetProperty("title").GetString());
        Assert.Equal("No migration is in group 'shipping'. Groups: catalog, payments.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task MigrationView_GroupedOrUngrouped_CarriesItsGroupAndPriority()
    {
        var orders = await _harness.Proxy.MigrationAsync("orders");
        var users = await _harness.Proxy.MigrationAsync("users");

        Assert.Equal(("payments", "critical"), (orders.Group, orders.Priority));
        Assert.Equal((null, "low"), (users.Group, users.Priority));
    }

    // A move without a metrics window (the retire step's, whose evidence is its drain) sampled neither side.
    private static bool BothSidesSampled(JsonElement evidence) =>
        evidence.TryGetProperty("minSamples", out var minSamples)
        && evidence.GetProperty("legacy").GetProperty("requests").GetInt64() >= minSamples.GetInt64()
        && evidence.GetProperty("candidate").GetProperty("requests").GetInt64() >= minSamples.GetInt64();

    private FleetMigrationView Migration(string name) => _fleet.Migrations.Single(m => m.Name == name);

    private async Task<FleetView> FleetAsync(string path) => await FleetScenario.FleetAsync(_harness, path);
}
