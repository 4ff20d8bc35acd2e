using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Server.Admin;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Rollout;

/// <summary>
/// The safety net under a canary: the candidate is killed while users are on it, and with
/// failover no user sees an error, while the plan, which judges the candidate's own errors, still
/// rolls it back. Real backends and concurrent users in real time; the plan's clock is manual.
/// </summary>
public sealed class FailoverRolloutTests
{
    private const string Plan = """
        plan:
          steps:
            - weight: 50
            - pause: {}
          triggers: ["candidate.errorRate > 0.05 for 10s"]
          minSamples: 20
        """;

    [Fact]
    public async Task Failover_CandidateKilledMidCanaryUnderLoad_NoUserSeesAnErrorAndThePlanStillRollsBack()
    {
        var time = new ManualTime();
        await using var legacy = await TestBackend.StartAsync("legacy");
        var candidate = await TestBackend.StartAsync("candidate");
        await using var proxy = await ProxyUnderTest.StartAsync(
            $$"""
              - name: orders
                match: { pathPrefix: /orders }
                legacy: {{legacy.Url}}
                candidate: {{candidate.Url}}
                stickyBy: header:X-User-Id
                failover: true
            {{string.Join('\n', Plan.Split('\n').Select(line => "    " + line))}}
            """,
            options: new CutoverHostOptions { Time = time, LogLevel = LogLevel.Warning, RolloutTick = TimeSpan.FromMilliseconds(250) });
        var users = new Users(proxy.Proxy);
        for (var i = 0; i < 40; i++)
        {
            await users.SendOneAsync();
        }

        (await proxy.Admin.PostAsJsonAsync("/api/migrations/orders/promote", new { reason = "canary", force = true })).EnsureSuccessStatusCode();
        await DriveUntilAsync(proxy, time, view => view.Plan!.Status == "paused", users);
        Assert.Equal(("canary", 50.0), ((await proxy.MigrationAsync("orders")).Mode, (await proxy.MigrationAsync("orders")).Weight.Percent));

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var load = Enumerable.Range(0, 8).Select(_ => users.SendUntilAsync(stop.Token)).ToList();
        await Task.Delay(300);
        var candidateServed = candidate.Requests;
        await candidate.DisposeAsync();
        await DriveUntilAsync(proxy, time, view => view.Plan!.Status == "rolled-back", users: null);
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var after = await proxy.MigrationAsync("orders");
        Assert.True(candidateServed > 0, "the candidate served users before it was killed");
        Assert.Equal(("legacy", 0.0), (after.Mode, after.Weight.Percent));
        Assert.True(after.Stats.Candidate.Rescued > 0, "requests the candidate failed were answered by legacy");
        Assert.True(users.Sent > 200, $"only {users.Sent} requests were sent");
        Assert.Equal([], users.Failures);
        using var report = await proxy.Admin.GetFromJsonAsync<JsonDocument>("/api/migrations/orders/report");
        Assert.StartsWith("trigger fired: candidate.errorRate > 0.05 for 10s", report!.RootElement.GetProperty("reason").GetString());
    }

    /// <summary>Moves the plan's clock a second at a time (sending a few requests each second, when given users) until <paramref name="done"/>, within ten minutes of clock time.</summary>
    private static async Task DriveUntilAsync(ProxyUnderTest proxy, ManualTime time, Func<MigrationView, bool> done, Users? users)
    {
        var limit = time.GetUtcNow() + TimeSpan.FromMinutes(10);
        while (!done(await proxy.MigrationAsync("orders")))
        {
            Assert.True(time.GetUtcNow() < limit, $"the plan is {(await proxy.MigrationAsync("orders")).Plan?.Status} after ten minutes of clock time");
            for (var i = 0; users is not null && i < 30; i++)
            {
                await users.SendOneAsync();
            }

            await Task.Delay(50);
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(15);
        }
    }

    /// <summary>Users sending GETs, each as a new user (so half of them land on the candidate), keeping every answer that was not legacy's or the candidate's 200.</summary>
    private sealed class Users(HttpClient proxy)
    {
        private readonly List<string> _failures = [];
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public IReadOnlyList<string> Failures
        {
            get
            {
                lock (_failures)
                {
                    return [.. _failures];
                }
            }
        }

        public async Task SendUntilAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await SendOneAsync();
            }
        }

        public async Task SendOneAsync()
        {
            var user = Interlocked.Increment(ref _sent);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{user}");
            request.Headers.Add("X-User-Id", $"user-{user}");
            try
            {
                using var response = await proxy.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode != 200 || body is not ("legacy" or "candidate"))
                {
                    Fail($"{(int)response.StatusCode} {body}");
                }
            }
            catch (HttpRequestException e)
            {
                Fail(e.Message);
            }
        }

        private void Fail(string what)
        {
            lock (_failures)
            {
                _failures.Add(what);
            }
        }
    }
}
