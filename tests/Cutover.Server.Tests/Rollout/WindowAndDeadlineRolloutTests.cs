using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.State;

namespace Cutover.Server.Tests.Rollout;

/// <summary>A plan's window and progress deadline, end to end on a manual clock that starts at 01:00 in Paris (midnight UTC).</summary>
public sealed class WindowAndDeadlineRolloutTests
{
    // Closed from 01:02 to 01:04 Paris time each day, open the rest (a window past midnight).
    private const string Plan = """
        steps:
          - weight: 5
          - pause: { duration: 2m }
          - weight: 50
          - weight: 100
        gates: ["candidate.errorRate <= 0.01"]
        triggers: ["candidate.errorRate > 0.9 for 10m"]
        minSamples: 20
        window: { hours: "01:04-01:02", timeZone: Europe/Paris }
        progressDeadline: 3m
        """;

    [Fact]
    public async Task Plan_StepDoneOutsideTheWindowWaitsForIt_ThenAStepPastItsDeadlinePauses()
    {
        await using var harness = await RolloutHarness.StartAsync(Plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();

        await harness.DriveUntilAsync(v => v.Plan!.Note.Contains("waiting for the window", StringComparison.Ordinal), TimeSpan.FromMinutes(4));
        var waiting = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("running", 2, 5.0), (waiting.Plan!.Status, waiting.Plan.Step, waiting.Weight.Percent));
        Assert.Equal("pause 2m done; waiting for the window (every day 01:04-01:02 Europe/Paris), opens at 2026-01-01T01:04+01:00", waiting.Plan.Note);
        Assert.Equal((false, DateTimeOffset.Parse("2026-01-01T00:04:00Z", System.Globalization.CultureInfo.InvariantCulture)), (waiting.Plan.Window!.Open, waiting.Plan.Window.OpensAt));
        Assert.True(harness.Time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 2, 0, TimeSpan.Zero));

        await harness.DriveUntilAsync(v => v.Plan!.Step == 3, TimeSpan.FromMinutes(3));
        Assert.True(harness.Time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 4, 0, TimeSpan.Zero));
        Assert.True((await harness.Proxy.MigrationAsync("orders")).Plan!.Window!.Open);

        harness.CandidateFails = true;
        var took = await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(5));

        Assert.InRange(took, TimeSpan.FromMinutes(2.9), TimeSpan.FromMinutes(3.1));
        var paused = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 50.0, 3), (paused.Mode, paused.Weight.Percent, paused.Plan!.Step));
        Assert.Equal("progress deadline 3m passed at step 3 (weight 50); held by: candidate.errorRate <= 0.01: candidate.errorRate 1 is not <= 0.01", paused.Plan.Note);
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        Assert.Contains(audit!, a => a.Action == "wait");
        var pause = audit!.First(a => a.Action == "pause");
        var evidence = JsonSerializer.Deserialize<JsonElement>(pause.Evidence!);
        Assert.Equal("3m", evidence.GetProperty("progressDeadline").GetProperty("deadline").GetString());
        Assert.Equal("notMet", evidence.GetProperty("gates")[0].GetProperty("verdict").GetString());
        for (var i = 0; i < 200 && !harness.EventKinds.Contains("paused"); i++)
        {
            await Task.Delay(25);
        }

        Assert.Contains("paused", harness.EventKinds);
    }

    [Fact]
    public async Task Plan_SmokeStepPassedOutsideTheWindow_WaitsForItWithoutTestingAgain()
    {
        // The clock starts at 01:00 Paris time; the window opens at 01:03.
        const string Smoke = """
            steps:
              - smoke: { requests: 2 }
              - weight: 50
            window: { hours: "01:03-01:00", timeZone: Europe/Paris }
            """;
        await using var harness = await RolloutHarness.StartAsync(Smoke);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();

        await harness.DriveUntilAsync(v => v.Plan!.Note.Contains("waiting for the window", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        await harness.DriveForAsync(TimeSpan.FromSeconds(30));
        var waiting = await harness.Proxy.MigrationAsync("orders");

        Assert.Equal((1, "legacy"), (waiting.Plan!.Step, waiting.Mode));
        Assert.StartsWith("smoke 2 x GET /orders done; waiting for the window", waiting.Plan.Note, StringComparison.Ordinal);
        Assert.Equal(2, SmokeRequests(harness));
        await harness.DriveUntilAsync(v => v.Weight.Percent == 50, TimeSpan.FromMinutes(3));
        Assert.True(harness.Time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 3, 0, TimeSpan.Zero));
        Assert.Equal(2, SmokeRequests(harness));
    }

    // Traffic stays on legacy at the smoke step, so the candidate's GETs of the migration's prefix are the smoke test's.
    private static int SmokeRequests(RolloutHarness harness) => harness.Candidate.Seen.Count(r => r.Method == "GET" && r.Target == "/orders");
}
