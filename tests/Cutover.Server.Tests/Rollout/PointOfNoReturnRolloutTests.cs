using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.State;

namespace Cutover.Server.Tests.Rollout;

/// <summary>A plan with a point of no return, end to end: before it a failing candidate is rolled back as always; after it the plan halts, and a rollback needs force.</summary>
public sealed class PointOfNoReturnRolloutTests
{
    private const string Plan = """
        steps:
          - weight: 5
          - pause: { duration: 1m }
          - pointOfNoReturn: { note: "the candidate now writes the new store" }
          - weight: 50
          - pause: { duration: 30m }
          - weight: 100
        gates: ["candidate.errorRate <= 0.01"]
        minSamples: 20
        """;

    [Fact]
    public async Task Trigger_BeforeThePointOfNoReturn_RollsBackAsAlways()
    {
        await using var harness = await RolloutHarness.StartAsync(Plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 2, TimeSpan.FromMinutes(2));
        var before = await harness.Proxy.MigrationAsync("orders");

        harness.CandidateFails = true;
        await harness.DriveUntilAsync(v => v.Plan!.Status == "rolled-back", TimeSpan.FromMinutes(2), requestsPerSecond: 80);

        Assert.Equal((3, "the candidate now writes the new store", false), (before.Plan!.PointOfNoReturn!.Step, before.Plan.PointOfNoReturn.Note, before.Plan.PointOfNoReturn.Passed));
        Assert.Equal(("legacy", 0.0), ((await harness.Proxy.MigrationAsync("orders")).Mode, (await harness.Proxy.MigrationAsync("orders")).Weight.Percent));
    }

    [Fact]
    public async Task Trigger_PastThePointOfNoReturn_HaltsThePlanAndARollbackNeedsForce()
    {
        await using var harness = await RolloutHarness.StartAsync(Plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 5, TimeSpan.FromMinutes(5));
        Assert.True((await harness.Proxy.MigrationAsync("orders")).Plan!.PointOfNoReturn!.Passed);
        using var stream = await harness.Proxy.Admin.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await stream.Content.ReadAsStreamAsync());

        harness.CandidateFails = true;
        await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(2), requestsPerSecond: 80);
        await harness.DriveForAsync(TimeSpan.FromMinutes(1));

        var halted = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 50.0, "paused", 5), (halted.Mode, halted.Weight.Percent, halted.Plan!.Status, halted.Plan.Step));
        Assert.StartsWith("halted: trigger fired: candidate.errorRate > 0.5 for 10s", halted.Plan.Note);
        Assert.Contains("legacy no longer holds current data since step 3 (point of no return: the candidate now writes the new store)", halted.Plan.Note);
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        var halt = Assert.Single(audit!, a => a.Action == "halt");
        var evidence = JsonSerializer.Deserialize<JsonElement>(halt.Evidence!);
        Assert.Equal(3, evidence.GetProperty("pointOfNoReturn").GetProperty("step").GetInt32());
        Assert.Equal("met", evidence.GetProperty("trigger").GetProperty("verdict").GetString());
        await WaitForAsync(() => harness.EventKinds.Contains("halted"), harness);
        Assert.Contains("trigger-fired", harness.EventKinds);
        Assert.DoesNotContain("rolled-back", harness.EventKinds);
        var told = await NextRolloutEventAsync(events, "halted");
        Assert.Equal(("orders", "mode=canary weight=50", 5), (told.GetProperty("migration").GetString(), told.GetProperty("state").GetString(), told.GetProperty("step").GetInt32()));
        Assert.StartsWith("orders: halted: trigger fired", told.GetProperty("summary").GetString());

        using var refused = await harness.PostAsync("rollback", new { reason = "looks bad" });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Past the point of no return", problem.GetProperty("title").GetString());
        Assert.StartsWith(
            "The plan of 'orders' passed its point of no return at step 3 (point of no return: the candidate now writes the new store): legacy no longer holds current data",
            problem.GetProperty("detail").GetString());
        Assert.Contains("`cutover rollback orders --force`", problem.GetProperty("detail").GetString());
        Assert.Equal("canary", (await harness.Proxy.MigrationAsync("orders")).Mode);

        (await harness.PostAsync("rollback", new { force = true, reason = "legacy restored from the backup" })).EnsureSuccessStatusCode();

        var rolledBack = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("legacy", "rolled-back"), (rolledBack.Mode, rolledBack.Plan!.Status));
        var forced = (await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders"))!.First(a => a.Action == "rollback");
        Assert.Equal(
            "legacy restored from the backup; forced past the point of no return at step 3 (point of no return: the candidate now writes the new store)",
            forced.Reason);
    }

    [Fact]
    public async Task WeightOrMode_BackTowardLegacyPastThePointOfNoReturn_IsRefusedUnlessForced()
    {
        await using var harness = await RolloutHarness.StartAsync(Plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Step == 5, TimeSpan.FromMinutes(5));

        using var lower = await harness.PostAsync("weight", new { weight = 10, reason = "fewer users" });
        using var legacy = await harness.PostAsync("mode", new { mode = "legacy" });
        using var higher = await harness.PostAsync("weight", new { weight = 60, reason = "more users" });

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.OK), (lower.StatusCode, legacy.StatusCode, higher.StatusCode));
        Assert.Contains("`cutover weight orders 10 --force`", (await lower.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Contains("`cutover mode orders legacy --force`", (await legacy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        (await harness.PostAsync("weight", new { weight = 10, force = true })).EnsureSuccessStatusCode();
        Assert.Equal(10.0, (await harness.Proxy.MigrationAsync("orders")).Weight.Percent);
        var forced = (await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders"))!.First(a => a.Action == "weight");
        Assert.Equal("forced past the point of no return at step 3 (point of no return: the candidate now writes the new store)", forced.Reason);
    }

    /// <summary>Reads the admin API's event stream up to the first plan event of <paramref name="kind"/>.</summary>
    private static async Task<JsonElement> NextRolloutEventAsync(StreamReader reader, string kind)
    {
        string? name = null;
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "rollout"
                && JsonSerializer.Deserialize<JsonElement>(line["data: ".Length..]) is var told && told.GetProperty("kind").GetString() == kind)
            {
                return told;
            }
        }

        throw new EndOfStreamException($"The event stream ended before a {kind} event.");
    }

    private static async Task WaitForAsync(Func<bool> condition, RolloutHarness harness)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), $"events so far: {string.Join(", ", harness.EventKinds)}");
    }
}
