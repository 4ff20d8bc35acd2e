using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Tests.Rollout;

/// <summary>
/// A candidate that accepts requests and never answers, on the real clock: the plan's default
/// triggers must see it long before any request times out, and roll it back.
/// </summary>
public sealed class HungCandidateTests
{
    [Fact]
    public async Task DefaultTriggers_HangingCandidateAtWeight20_RollItBackWithin30Seconds()
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, """{"id":1}"""));
        await using var candidate = await ScriptedBackend.StartAsync(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/orders/health"))
            {
                return;
            }

            // Accepts the request and never answers, until the proxy gives up on it.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var proxy = await ProxyUnderTest.StartAsync($$"""
              - name: orders
                match: { pathPrefix: /orders }
                legacy: {{legacy.Url}}
                candidate: {{candidate.Url}}
                stickyBy: header:X-User-Id
                checks: { health: { legacy: /orders/health, candidate: /orders/health } }
                plan:
                  steps:
                    - weight: 20
                    - pause: {}
            """);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var traffic = SendTrafficAsync(proxy, perSecond: 200, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(1), stop.Token); // The checks before a plan starts want traffic flowing.
        (await proxy.Admin.PostAsJsonAsync("/api/migrations/orders/promote", new { reason = "canary" })).EnsureSuccessStatusCode();
        var stepped = Stopwatch.StartNew();
        Assert.Equal(20, (await proxy.MigrationAsync("orders")).Weight.Percent);

        MigrationView view;
        do
        {
            await Task.Delay(250, stop.Token);
            view = await proxy.MigrationAsync("orders");
        }
        while (view.Plan!.Status != "rolled-back" && stepped.Elapsed < TimeSpan.FromSeconds(45));

        var took = stepped.Elapsed;
        await stop.CancelAsync();
        await traffic;
        Assert.Equal(("rolled-back", "legacy", 0.0), (view.Plan.Status, view.Mode, view.Weight));
        Assert.True(took < TimeSpan.FromSeconds(30), $"rolled back {took.TotalSeconds:0.0} s after the step to weight 20");
        using var report = await proxy.Admin.GetFromJsonAsync<JsonDocument>("/api/migrations/orders/report");
        Assert.StartsWith("trigger fired: candidate.errorRate > 0.5 for 10s", report!.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task UnansweredAfter_RequestStillUnansweredPastIt_CountsAsAnErrorLongBeforeItsTimeoutAndOnce()
    {
        using var release = new CancellationTokenSource();
        await using var held = await HeldCandidate.StartAsync(release.Token, """
            timeouts: { candidate: 1m }
            errors: { unansweredAfter: 2s }
            """);
        var proxy = held.Proxy;

        var requests = Enumerable.Range(0, 12).Select(i => proxy.Proxy.GetAsync($"/orders/{i}")).ToList();
        var waited = Stopwatch.StartNew();
        var candidateSide = await CandidateMetricsAsync(proxy);
        while (candidateSide.GetProperty("errors").GetInt64() < 12 && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(200);
            candidateSide = await CandidateMetricsAsync(proxy);
        }

        // Counted 2 to 4 seconds after they were sent (a sweep closes whole seconds), though their timeout is a minute away.
        Assert.Equal((12L, 12L), (candidateSide.GetProperty("requests").GetInt64(), candidateSide.GetProperty("errors").GetInt64()));
        Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
        Assert.All(requests, request => Assert.False(request.IsCompleted));

        // Answered in the end: the users get their answers, and the requests are not counted a second time.
        await release.CancelAsync();
        Assert.All(await Task.WhenAll(requests), response => Assert.Equal(200, (int)response.StatusCode));
        candidateSide = await CandidateMetricsAsync(proxy);
        Assert.Equal((12L, 12L), (candidateSide.GetProperty("requests").GetInt64(), candidateSide.GetProperty("errors").GetInt64()));
        Assert.True(candidateSide.GetProperty("latencyMs").GetProperty("max").GetDouble() > 1500, "the latencies of the late answers are recorded");
    }

    [Fact]
    public async Task Errors_TimeoutsNotCounted_RequestWaitingForItsAnswerIsCountedOnlyWhenItEnds()
    {
        using var release = new CancellationTokenSource();
        await using var held = await HeldCandidate.StartAsync(release.Token, "errors: { timeouts: false }");
        var proxy = held.Proxy;

        // A long poll: with timeouts: false, waiting is not a failure, however long it lasts.
        var requests = Enumerable.Range(0, 5).Select(i => proxy.Proxy.GetAsync($"/orders/{i}")).ToList();
        await Task.Delay(TimeSpan.FromSeconds(7.5));
        var waiting = await CandidateMetricsAsync(proxy);
        Assert.Equal((0L, 0L), (waiting.GetProperty("requests").GetInt64(), waiting.GetProperty("errors").GetInt64()));

        await release.CancelAsync();
        Assert.All(await Task.WhenAll(requests), response => Assert.Equal(200, (int)response.StatusCode));
        var answered = await CandidateMetricsAsync(proxy);
        Assert.Equal((5L, 0L), (answered.GetProperty("requests").GetInt64(), answered.GetProperty("errors").GetInt64()));
    }

    /// <summary>A candidate that holds every request until <c>release</c> is cancelled, behind a Cutover that sends it all traffic, with the migration's extra <c>keys</c>.</summary>
    private sealed class HeldCandidate(ScriptedBackend legacy, ScriptedBackend candidate, ProxyUnderTest proxy) : IAsyncDisposable
    {
        public ProxyUnderTest Proxy => proxy;

        public static async Task<HeldCandidate> StartAsync(CancellationToken release, string keys)
        {
            var legacy = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, """{"id":1}"""));
            var candidate = await ScriptedBackend.StartAsync(async context =>
            {
                await Task.Delay(Timeout.Infinite, release).ContinueWith(_ => { }, TaskScheduler.Default);
                await ScriptedBackend.Json(context, """{"id":1}""");
            });
            var indented = string.Join('\n', keys.Split('\n').Select(line => "    " + line));
            var proxy = await ProxyUnderTest.StartAsync($$"""
                  - name: orders
                    match: { pathPrefix: /orders }
                    legacy: {{legacy.Url}}
                    candidate: {{candidate.Url}}
                    mode: candidate
                {{indented}}
                """);
            return new HeldCandidate(legacy, candidate, proxy);
        }

        public async ValueTask DisposeAsync()
        {
            await proxy.DisposeAsync();
            await candidate.DisposeAsync();
            await legacy.DisposeAsync();
        }
    }

    private static async Task<JsonElement> CandidateMetricsAsync(ProxyUnderTest proxy) =>
        (await proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/metrics?window=1m")).GetProperty("candidate");

    /// <summary>Sends GETs from new users at a steady rate without waiting for answers (a hung one would hold the sender), until stopped.</summary>
    private static async Task SendTrafficAsync(ProxyUnderTest proxy, int perSecond, CancellationToken stop)
    {
        var pending = new List<Task>();
        var user = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / (perSecond / 10)));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                for (var i = 0; i < 10; i++)
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{user}");
                    request.Headers.Add("X-User-Id", $"user-{user++}");
                    pending.Add(SendAsync(proxy.Proxy, request, stop));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }

        await Task.WhenAll(pending);
    }

    private static async Task SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken stop)
    {
        try
        {
            using var response = await client.SendAsync(request, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The test is over; a request the candidate still holds is abandoned.
        }
        finally
        {
            request.Dispose();
        }
    }
}
