using System.Net.Http.Json;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Rollout;

namespace Cutover.Server.Tests.Fleet;

/// <summary>
/// A fleet of four migrations on a real proxy, driven once for all of <see cref="FleetTests"/>:
/// orders (payments, critical) walks its plan to retire, billing (payments, high) is rolled back
/// twice, search (catalog, normal) has been shadowing for 90 seconds, users (no group, low) is untouched.
/// </summary>
public sealed class FleetScenario : IAsyncLifetime
{
    private const string Completes = """
        group: payments
        priority: critical
        plan:
          steps:
            - weight: 50
            - pause: { duration: 30s }
            - weight: 100
            - retire: {}
          gates: ["candidate.errorRate <= 0.01"]
          minSamples: 20
        """;

    private const string WaitsForAPerson = """
        group: payments
        priority: high
        plan:
          steps:
            - weight: 10
            - pause: {}
          minSamples: 20
        """;

    private const string Shadows = """
        group: catalog
        plan:
          steps:
            - shadow: { duration: 10m }
            - weight: 10
        """;

    internal RolloutHarness Harness { get; private set; } = null!;

    /// <summary>The whole fleet's summary, read once the migrations are where the tests expect them.</summary>
    public FleetView Fleet { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // In the file, the least urgent first: the summary sorts them.
        Harness = await RolloutHarness.StartFleetAsync([("users", "priority: low"), ("search", Shadows), ("billing", WaitsForAPerson), ("orders", Completes)]);
        await Harness.SendTrafficAsync(10);

        (await Harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await Harness.DriveUntilAsync(v => v.Plan!.Status == "completed", TimeSpan.FromMinutes(5), requestsPerSecond: 10);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            (await Harness.PostAsync(attempt == 0 ? "promote" : "retry", migration: "billing")).EnsureSuccessStatusCode();
            await Harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(5), requestsPerSecond: 10, migration: "billing");
            (await Harness.PostAsync("rollback", new { reason = "errors in the ledger" }, migration: "billing")).EnsureSuccessStatusCode();
        }

        (await Harness.PostAsync("promote", migration: "search")).EnsureSuccessStatusCode();
        await Harness.DriveForAsync(TimeSpan.FromSeconds(90), requestsPerSecond: 1);
        Fleet = await FleetAsync(Harness, "/api/fleet");
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    internal static async Task<FleetView> FleetAsync(RolloutHarness harness, string path) =>
        (await harness.Proxy.Admin.GetFromJsonAsync<FleetView>(path))!;
}
