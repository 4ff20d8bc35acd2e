using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Kernel.Routing;
using Cutover.Server.Admin;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Link;

/// <summary>A plan on a code-level migration, judged on nothing but what the SDK reports: the proxy never sees a request of it.</summary>
public sealed class SdkRolloutTests
{
    private const string Migration = """
          - name: billing-tax
            kind: code
            plan:
              steps:
                - weight: 5
                - weight: 25
                - pause: {}
                - weight: 100
              gates: ["candidate.errorRate <= 0.01"]
              minSamples: 20
        """;

    private readonly ManualTime _time = new();
    private int _users;

    [Fact]
    public async Task Plan_FailingCandidate_IsRolledBackByTheOrchestratorFromSdkReportedMetricsAlone()
    {
        await using var server = await ProxyUnderTest.StartAsync(Migration, options: new CutoverHostOptions
        {
            Time = _time, LogLevel = LogLevel.Warning, RolloutTick = TimeSpan.FromMilliseconds(250),
        });
        await using var app = await LinkedApp.StartAsync(server.Host.AdminAddress, cacheFile: null);
        await app.WaitForAsync("billing-tax", s => s is not null);
        await CallAsync(app, candidateFails: false);

        (await server.Admin.PostAsJsonAsync("/api/migrations/billing-tax/promote", new { reason = "go" })).EnsureSuccessStatusCode();
        await DriveUntilAsync(server, app, v => v.Weight == 25 && v.Plan!.Status == "paused", candidateFails: false);
        await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Canary, Weight.Percent: 25 });

        var took = await DriveUntilAsync(server, app, v => v.Plan!.Status == "rolled-back", candidateFails: true);

        // The default trigger "candidate.errorRate > 0.5 for 10s", on the SDK's counts.
        Assert.InRange(took, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        using var report = await server.Admin.GetFromJsonAsync<JsonDocument>("/api/migrations/billing-tax/report");
        Assert.StartsWith("trigger fired: candidate.errorRate > 0.5 for 10s", report!.RootElement.GetProperty("reason").GetString());
        var rolledBack = await app.WaitForAsync("billing-tax", s => s is { Mode: MigrationMode.Legacy, Weight.Percent: 0 });
        Assert.True(rolledBack < TimeSpan.FromSeconds(1), $"the rollback took {rolledBack} to reach the app");
        Assert.Equal(0, app.Status.ReportsDropped);
    }

    /// <summary>
    /// A second of the application's calls through the SDK's <c>RunAsync</c>, each user on the side
    /// its sticky bucket says (new users every second, so the split follows the weight), reported as
    /// the reporter does every interval; then the clock moves on. A failing candidate falls back to
    /// legacy, so the application never sees its failures: only the counts do.
    /// </summary>
    private async Task CallAsync(LinkedApp app, bool candidateFails, int calls = 80)
    {
        for (var i = 0; i < calls; i++)
        {
            var served = await app.Client.RunAsync(
                "billing-tax",
                legacy: _ => Task.FromResult("legacy"),
                candidate: _ => candidateFails ? Task.FromException<string>(new InvalidOperationException("rates table missing")) : Task.FromResult("candidate"),
                stickyKey: $"customer-{_users++}");
            Assert.NotNull(served);
        }

        await app.ReportAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(15);
    }

    private async Task<TimeSpan> DriveUntilAsync(ProxyUnderTest server, LinkedApp app, Func<MigrationView, bool> done, bool candidateFails)
    {
        var start = _time.GetUtcNow();
        while (true)
        {
            var view = await server.MigrationAsync("billing-tax");
            if (done(view))
            {
                return _time.GetUtcNow() - start;
            }

            Assert.True(_time.GetUtcNow() - start < TimeSpan.FromMinutes(5), $"after 5 minutes of clock time: mode={view.Mode} weight={view.Weight} plan={view.Plan?.Status} ({view.Plan?.Note})");
            await CallAsync(app, candidateFails);
        }
    }
}
