using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.State;

namespace Cutover.Server.Tests.Rollout;

/// <summary>
/// The retire step on real backends: legacy gets nothing new from its start, and the plan
/// completes only once the requests legacy still serves have finished, or its drainTimeout passed.
/// </summary>
public sealed class RetireDrainTests
{
    private const string Plan = """
        steps:
          - weight: 50
          - pause: {}
          - weight: 100
          - retire: {}
        minSamples: 20
        drainTimeout: 1m
        """;

    [Fact]
    public async Task Retire_LongRequestStillOnLegacy_CompletesOnlyOnceItFinishes()
    {
        await using var harness = await RolloutHarness.StartAsync(Plan);
        var held = await RetireWithRequestsHeldOnLegacyAsync(harness);

        await harness.DriveForAsync(TimeSpan.FromSeconds(20));
        var draining = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal(("retired", "running", 4), (draining.Mode, draining.Plan!.Status, draining.Plan.Step));
        Assert.Equal("retire: legacy gets no new requests; waiting up to 1m (drainTimeout) for those it still serves", draining.Plan.Note);

        harness.LegacyHeld.SetResult();
        Assert.All(await Task.WhenAll(held), r => Assert.Equal(HttpStatusCode.OK, r));
        await harness.DriveUntilAsync(v => v.Plan!.Status == "completed", TimeSpan.FromSeconds(10));

        var done = await harness.Proxy.MigrationAsync("orders");
        Assert.Equal("completed: legacy retired", done.Plan!.Note);
        var completion = await LastStepAsync(harness);
        Assert.Matches(@"^retire: legacy drained, no request in flight after 2\d\.\d s$", completion.Reason);
        var drain = JsonDocument.Parse(completion.Evidence!).RootElement.GetProperty("drain");
        Assert.Equal((0, "1m"), (drain.GetProperty("stillInFlight").GetInt64(), drain.GetProperty("drainTimeout").GetString()));
    }

    [Fact]
    public async Task Retire_RequestOnLegacyPastTheDrainTimeout_CompletesAtTheTimeoutSayingSo()
    {
        await using var harness = await RolloutHarness.StartAsync(Plan);
        var held = await RetireWithRequestsHeldOnLegacyAsync(harness);

        var took = await harness.DriveUntilAsync(v => v.Plan!.Status == "completed", TimeSpan.FromMinutes(2));

        Assert.InRange(took, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(62));
        var completion = await LastStepAsync(harness);
        Assert.Matches(@"^retire: drainTimeout 1m passed with \d+ request\(s\) still on legacy$", completion.Reason);
        Assert.True(JsonDocument.Parse(completion.Evidence!).RootElement.GetProperty("drain").GetProperty("stillInFlight").GetInt64() > 0);
        harness.LegacyHeld.SetResult();
        await Task.WhenAll(held);
    }

    /// <summary>
    /// Walks the plan to weight 50, starts long requests from many users (some land on legacy and
    /// are held there), then promotes through weight 100 to the retire step.
    /// </summary>
    private static async Task<Task<HttpStatusCode>[]> RetireWithRequestsHeldOnLegacyAsync(RolloutHarness harness)
    {
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote", new { reason = "go" })).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(2));
        var held = Enumerable.Range(0, 20).Select(i => SendAsync(harness, $"/orders/held/{i}", $"long-{i}")).ToArray();
        await WaitAsync(() => harness.Legacy.Seen.Any(r => r.Target.Contains("/held", StringComparison.Ordinal)));

        (await harness.PostAsync("promote", new { reason = "everyone" })).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Mode == "retired", TimeSpan.FromSeconds(30));
        return held;
    }

    private static async Task<HttpStatusCode> SendAsync(RolloutHarness harness, string path, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-User-Id", user);
        using var response = await harness.Proxy.Proxy.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<AuditEntry> LastStepAsync(RolloutHarness harness)
    {
        var audit = await harness.Proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        return audit!.First(a => a.Action == "step");
    }

    private static async Task WaitAsync(Func<bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "no long request reached legacy");
            await Task.Delay(20);
        }
    }
}
