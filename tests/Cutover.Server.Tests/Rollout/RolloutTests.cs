using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.State;
using Cutover.Kernel.Metrics;

namespace Cutover.Server.Tests.Rollout;

/// <summary>Plans end to end: a real proxy, real backends, the orchestrator on a manual clock.</summary>
public sealed class RolloutTests
{
    private const string HealthyWalk = """
        steps:
          - shadow: { duration: 30s, minRequests: 50 }
          - weight: 10
          - pause: { duration: 1m }
          - weight: 50
          - pause: {}
          - weight: 100
          - pause: { duration: 30s }
          - retire: {}
        gates: ["candidate.errorRate <= 0.01", "divergenceRate <= 0.05"]
        minSamples: 20
        """;

    private const string StopsAt25 = """
        steps:
          - weight: 5
          - weight: 25
          - pause: {}
          - weight: 100
        gates: ["candidate.errorRate <= 0.01"]
        minSamples: 20
        """;

    private const string PromotedTo100 = """
        steps:
          - weight: 50
          - pause: {}
          - weight: 100
          - pause: {}
        gates: ["candidate.errorRate <= 0.01"]
        minSamples: 20
        """;

    private const string LongBake = """
        steps:
          - weight: 10
          - pause: { duration: 10m }
          - weight: 50
        minSamples: 20
        """;

    [Fact]
    public async Task Plan_HealthyCandidate_WalksTheWholePlanToRetire()
    {
        await using var harness = await RolloutHarness.StartAsync(HealthyWalk);
        await harness.SendTrafficAsync();

        (await harness.PostAsync("promote", new { reason = "go" })).EnsureSuccessStatusCode();
        Assert.Equal("shadow", (await harness.Proxy.MigrationAsync("orders")).Mode);
        await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(10));

        var waiting = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 50.0, 5), (waiting.Mode, waiting.Weight.Percent, waiting.Plan!.Step));
        (await harness.PostAsync("promote", new { reason = "dashboards look fine" })).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Status == "completed", TimeSpan.FromMinutes(10));

        var done = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("retired", "completed"), (done.Mode, done.Plan!.Status));
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        Assert.Equal(["seed", "start", "step", "step", "step", "step", "promote", "step", "step", "step"], audit!.Select(a => a.Action).Reverse());
        var gatePass = audit!.First(a => a.Action == "step" && a.Before.Contains("weight=10 plan=running step=2", StringComparison.Ordinal));
        Assert.Contains("\"verdict\":\"met\"", gatePass.Evidence, StringComparison.Ordinal);
        await WaitForAsync(() => harness.EventKinds.Contains("completed"), harness);
        Assert.Equal("step-advanced", harness.EventKinds[0]);
        Assert.Contains("paused", harness.EventKinds);
    }

    [Fact]
    public async Task Plan_CandidateFailingAt25Percent_IsRolledBackWithAFailureReport()
    {
        await using var harness = await RolloutHarness.StartAsync(StopsAt25);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Weight == 25 && v.Plan!.Status == "paused", TimeSpan.FromMinutes(5));

        harness.CandidateFails = true;
        var took = await harness.DriveUntilAsync(v => v.Plan!.Status == "rolled-back", TimeSpan.FromMinutes(5), requestsPerSecond: 80);

        // The default trigger "candidate.errorRate > 0.5 for 10s" for a candidate that is down: it holds once failures are most of the last 10 s, then for 10 s (the 10-second window still holds healthy requests at first).
        Assert.InRange(took, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        var view = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("legacy", 0.0), (view.Mode, view.Weight));
        using var report = await harness.Proxy.Admin.GetAsync("/api/migrations/orders/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var body = await report.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("trigger fired: candidate.errorRate > 0.5 for 10s", body.GetProperty("reason").GetString());
        Assert.Equal("3/4: pause until promoted", body.GetProperty("step").GetString());
        Assert.Equal(503, body.GetProperty("recentErrors")[0].GetProperty("status").GetInt32());
        Assert.True(body.GetProperty("metrics").GetProperty("candidate").GetProperty("errorRate").GetDouble() > 0.5);
        Assert.Equal(0, body.GetProperty("metrics").GetProperty("legacy").GetProperty("errors").GetInt64());
        Assert.Contains(body.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("action").GetString() == "start");
        await WaitForAsync(() => harness.EventKinds.Contains("rolled-back"), harness);
        Assert.Contains("trigger-fired", harness.EventKinds);

        // All traffic is on legacy now, and stays there.
        harness.CandidateFails = false;
        await harness.DriveForAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(("legacy", "rolled-back"), ((await harness.Proxy.MigrationAsync("orders")).Mode, (await harness.Proxy.MigrationAsync("orders")).Plan!.Status));
    }

    [Fact]
    public async Task Plan_StepEnteredMidBucket_IsNotLeftOnThePreviousStepsRequestsInThatBucket()
    {
        await using var harness = await RolloutHarness.StartAsync(PromotedTo100);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2 && v.Plan.Status == "paused", TimeSpan.FromMinutes(2));

        // The issue's case: the next step begins 5.84 s into a bucket that already holds healthy
        // candidate requests of the step before (more than minSamples of them).
        var mark = MetricsHistory.BucketStartOf(harness.Time.GetUtcNow()) + MetricsHistory.BucketLength;
        await AdvanceInQuartersAsync(harness, mark + TimeSpan.FromSeconds(5.84) - harness.Time.GetUtcNow());
        await harness.SendTrafficAsync(80);
        (await harness.PostAsync("promote", new { reason = "looks fine" })).EnsureSuccessStatusCode();
        await AdvanceInQuartersAsync(harness, TimeSpan.FromSeconds(4));

        var held = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal((100.0, 3, "running"), (held.Weight.Percent, held.Plan!.Step, held.Plan.Status));

        await harness.DriveUntilAsync(v => v.Plan!.Step == 4, TimeSpan.FromSeconds(30));
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        var left = JsonSerializer.Deserialize<JsonElement>(audit!.First(a => a.Action == "step").Evidence!);
        Assert.Equal(mark + MetricsHistory.BucketLength, left.GetProperty("window").GetProperty("from").GetDateTimeOffset());
        Assert.InRange(left.GetProperty("candidate").GetProperty("requests").GetInt64(), 20, 40);
    }

    [Fact]
    public async Task Restart_MidBake_ResumesTheSameStepWithTheBakeTimeLeft()
    {
        await using var harness = await RolloutHarness.StartAsync(LongBake);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(5));
        await harness.DriveUntilAsync(v => v.Plan!.BakedSeconds >= 240, TimeSpan.FromMinutes(5));

        await harness.RestartAsync(down: TimeSpan.FromHours(1));

        var resumed = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 10.0, 2, "running"), (resumed.Mode, resumed.Weight.Percent, resumed.Plan!.Step, resumed.Plan.Status));
        Assert.InRange(resumed.Plan.BakedSeconds, 230, 241);
        // Step 3 (weight 50) is the last: the plan may complete in the same second it starts it.
        var left = await harness.DriveUntilAsync(v => v.Weight == 50, TimeSpan.FromMinutes(10));
        Assert.InRange(left, TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(12));
    }

    [Fact]
    public async Task Rollback_ManualDuringAStep_WinsOverTheOrchestratorAndRetryStartsAgain()
    {
        await using var harness = await RolloutHarness.StartAsync(LongBake);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(5));

        (await harness.PostAsync("rollback", new { reason = "saw something odd", actor = "alice" })).EnsureSuccessStatusCode();
        await harness.DriveForAsync(TimeSpan.FromMinutes(11));

        var after = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("legacy", 0.0, "rolled-back"), (after.Mode, after.Weight, after.Plan!.Status));
        Assert.Contains("saw something odd", after.Plan.Note, StringComparison.Ordinal);

        var promote = await harness.PostAsync("promote");
        Assert.Equal(HttpStatusCode.Conflict, promote.StatusCode);
        Assert.Contains("cutover retry orders", await promote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        (await harness.PostAsync("retry")).EnsureSuccessStatusCode();
        var again = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 10.0, 1, "running"), (again.Mode, again.Weight.Percent, again.Plan!.Step, again.Plan.Status));
    }

    [Fact]
    public async Task Weight_SetByAPersonDuringAPlan_PausesThePlanAndTheOrchestratorLeavesIt()
    {
        await using var harness = await RolloutHarness.StartAsync(LongBake);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(5));

        (await harness.PostAsync("weight", new { weight = 3, actor = "bob" })).EnsureSuccessStatusCode();
        await harness.DriveForAsync(TimeSpan.FromMinutes(11));

        var view = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal((3.0, "paused", 2), (view.Weight.Percent, view.Plan!.Status, view.Plan.Step));
        Assert.StartsWith("paused: weight set by local (on behalf of bob)", view.Plan.Note);
        var resume = await harness.PostAsync("resume");
        resume.EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 3, TimeSpan.FromMinutes(11));
        Assert.Equal(50.0, (await harness.Proxy.MigrationAsync("orders")).Weight);
    }

    [Fact]
    public async Task Promote_UnmetGates_IsRefusedUnlessForcedAndTheAuditSaysForced()
    {
        await using var harness = await RolloutHarness.StartAsync(StopsAt25);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();

        // No candidate traffic yet at 5%: the gate is inconclusive, which is never a pass.
        var refused = await harness.PostAsync("promote");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Gates not met", problem.GetProperty("title").GetString());
        Assert.Contains("candidate.errorRate <= 0.01: inconclusive", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (await harness.PostAsync("promote", new { force = true, actor = "carol" })).EnsureSuccessStatusCode();
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders&limit=1");
        Assert.Equal(("promote --force", "local (on behalf of carol)"), (audit![0].Action, audit[0].Actor));
        Assert.Equal(25.0, (await harness.Proxy.MigrationAsync("orders")).Weight);
    }

    [Fact]
    public async Task Promote_WhileACheckFails_DoesNotStartThePlanUnlessForced()
    {
        await using var harness = await RolloutHarness.StartAsync(StopsAt25);

        // No traffic has reached the migration: the judge would have no baseline.
        var refused = await harness.PostAsync("promote");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("metrics-flowing", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ready", (await harness.Proxy.MigrationAsync("orders")).Plan!.Status);

        (await harness.PostAsync("promote", new { force = true })).EnsureSuccessStatusCode();
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders&limit=1");
        Assert.Equal("start --force", audit![0].Action);
        Assert.Contains("pre-migration checks skipped (--force)", audit[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_Forced_SkipsThePreMigrationChecks()
    {
        await using var harness = await RolloutHarness.StartAsync(StopsAt25);
        (await harness.PostAsync("promote", new { force = true })).EnsureSuccessStatusCode();
        (await harness.PostAsync("abort")).EnsureSuccessStatusCode();
        var healthChecks = HealthChecks(harness);

        (await harness.PostAsync("retry", new { force = true })).EnsureSuccessStatusCode();

        Assert.Equal(healthChecks, HealthChecks(harness));
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders&limit=1");
        Assert.Equal("retry --force", audit![0].Action);
        Assert.Contains("pre-migration checks skipped (--force)", audit[0].Reason, StringComparison.Ordinal);
        Assert.Equal("running", (await harness.Proxy.MigrationAsync("orders")).Plan!.Status);
    }

    private static int HealthChecks(RolloutHarness harness) =>
        harness.Legacy.Seen.Concat(harness.Candidate.Seen).Count(r => r.Target.Contains("/health", StringComparison.Ordinal));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SmokeStep_CandidateHealthyOrFailing_AsksItDirectlyAndRollsBackWhenItFails(bool failing)
    {
        const string Smoke = """
            steps:
              - smoke: { requests: 3, path: /orders/health }
              - weight: 100
              - pause: {}
            """;
        await using var harness = await RolloutHarness.StartAsync(Smoke);
        await harness.SendTrafficAsync();
        var before = harness.Candidate.Seen.Count;

        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        harness.CandidateFails = failing;
        await harness.DriveUntilAsync(v => v.Plan!.Status == (failing ? "rolled-back" : "paused"), TimeSpan.FromMinutes(1), requestsPerSecond: 0);

        var view = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(failing ? ("legacy", 0.0) : ("canary", 100.0), (view.Mode, view.Weight));
        Assert.Contains(harness.Candidate.Seen.Skip(before), r => r.Target == "/orders/health" && r.Headers.GetValueOrDefault("User-Agent") == "cutover-smoke");
        if (failing)
        {
            using var report = await harness.Proxy.Admin.GetAsync("/api/migrations/orders/report");
            var body = await report.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("smoke test failed: 0/3 answered below 400; first failure: 503 from GET /orders/health", body.GetProperty("reason").GetString());
        }
    }

    /// <summary>Moves the clock by <paramref name="duration"/> a quarter of a second at a time, as the orchestrator ticks, letting each tick finish.</summary>
    private static async Task AdvanceInQuartersAsync(RolloutHarness harness, TimeSpan duration)
    {
        var end = harness.Time.GetUtcNow() + duration;
        while (harness.Time.GetUtcNow() < end)
        {
            var quarter = TimeSpan.FromMilliseconds(250);
            harness.Time.Advance(end - harness.Time.GetUtcNow() < quarter ? end - harness.Time.GetUtcNow() : quarter);
            await RolloutHarness.SettleAsync();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, RolloutHarness harness)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        var metrics = await harness.Proxy.Admin.GetStringAsync("/metrics");
        Assert.True(condition(), $"events so far: {string.Join(", ", harness.EventKinds)}; {string.Join(" ", metrics.Split('\n').Where(l => l.StartsWith("cutover_webhook", StringComparison.Ordinal)))}");
    }
}
