using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Metrics;

/// <summary>Per-side metrics through the admin API and /metrics, with a slow, partly failing candidate behind a real proxy.</summary>
public sealed class MetricsApiTests : IAsyncLifetime
{
    private const int Users = 200;

    private ScriptedBackend _legacy = null!;
    private ScriptedBackend _candidate = null!;
    private ProxyUnderTest _proxy = null!;

    public async Task InitializeAsync()
    {
        _legacy = await ScriptedBackend.StartAsync(context => ScriptedBackend.Json(context, """{"side":"legacy"}"""));
        _candidate = await ScriptedBackend.StartAsync(async context =>
        {
            await Task.Delay(40);
            if (context.Request.Path.StartsWithSegments("/orders/broken"))
            {
                context.Response.StatusCode = 503;
                return;
            }

            await ScriptedBackend.Json(context, """{"side":"candidate"}""");
        });
        _proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{ pathPrefix: /orders }"}
                legacy: {_legacy.Url}
                candidate: {_candidate.Url}
                mode: canary
                weight: 50
                stickyBy: header:X-User-Id
            """);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _candidate.DisposeAsync();
        await _legacy.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_Window_ShowsEachSidesRequestsErrorsAndLatency()
    {
        var (legacy, candidate, candidateErrors) = await SendTrafficAsync();

        var view = (await _proxy.Admin.GetFromJsonAsync<MetricsView>("/api/migrations/orders/metrics?window=1m"))!;

        Assert.Equal(("orders", "1m"), (view.Name, view.Window));
        Assert.Equal((legacy, 0L), (view.Legacy.Requests, view.Legacy.Errors));
        Assert.Equal((candidate, candidateErrors), (view.Candidate.Requests, view.Candidate.Errors));
        Assert.Equal((double)candidateErrors / candidate, view.Candidate.ErrorRate!.Value, 6);
        Assert.Equal(0, view.Legacy.ErrorRate);
        // Task.Delay may wake up to one timer tick (~1 ms) early, and a slot's value is within 1% of the latency.
        Assert.InRange(view.Candidate.LatencyMs.P50!.Value, 38, 1000);
        Assert.True(view.Legacy.LatencyMs.P50 < view.Candidate.LatencyMs.P50, $"legacy p50 {view.Legacy.LatencyMs.P50} ms, candidate {view.Candidate.LatencyMs.P50} ms");
        Assert.True(view.Candidate.LatencyMs.Max >= view.Candidate.LatencyMs.P99 && view.Candidate.LatencyMs.P99 >= view.Candidate.LatencyMs.P50);
        Assert.Null(view.Shadow.DivergenceRate);
        Assert.Equal(legacy + candidate, view.Buckets.Sum(b => b.Legacy.Requests + b.Candidate.Requests));
        Assert.True(view.To - view.From <= TimeSpan.FromSeconds(70));
    }

    [Fact]
    public async Task Metrics_NoWindow_DefaultsToFiveMinutes()
    {
        var view = (await _proxy.Admin.GetFromJsonAsync<MetricsView>("/api/migrations/orders/metrics"))!;

        Assert.Equal("5m", view.Window);
        Assert.Equal(0, view.Legacy.Requests + view.Candidate.Requests);
        Assert.Null(view.Candidate.ErrorRate);
        Assert.Null(view.Candidate.LatencyMs.P99);
    }

    [Theory]
    [InlineData("5x", "Invalid window", "window=5x is not a duration")]
    [InlineData("2h", "Window out of range", "window=2h is outside 10s..1h")]
    [InlineData("1s", "Window out of range", "window=1s is outside 10s..1h")]
    public async Task Metrics_BadWindow_IsAProblemNamingIt(string window, string title, string detail)
    {
        using var response = await _proxy.Admin.GetAsync($"/api/migrations/orders/metrics?window={window}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.StartsWith(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Metrics_UnknownMigration_Is404()
    {
        using var response = await _proxy.Admin.GetAsync("/api/migrations/nope/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PrometheusText_AfterTraffic_HasCountsAndALatencyHistogramPerSide()
    {
        var (legacy, candidate, candidateErrors) = await SendTrafficAsync();

        using var response = await _proxy.Admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var lines = text.Split('\n');
        Assert.Contains($"cutover_requests_total{{migration=\"orders\",side=\"legacy\"}} {legacy}", lines);
        Assert.Contains($"cutover_requests_total{{migration=\"orders\",side=\"candidate\"}} {candidate}", lines);
        Assert.Contains($"cutover_request_errors_total{{migration=\"orders\",side=\"candidate\"}} {candidateErrors}", lines);
        Assert.Contains($"cutover_request_duration_seconds_count{{migration=\"orders\",side=\"candidate\"}} {candidate}", lines);
        Assert.Contains($"cutover_request_duration_seconds_bucket{{migration=\"orders\",side=\"candidate\",le=\"+Inf\"}} {candidate}", lines);
        // Every candidate answer took at least 40 ms: none under 25 ms, all under 10 s.
        Assert.Contains("cutover_request_duration_seconds_bucket{migration=\"orders\",side=\"candidate\",le=\"0.025\"} 0", lines);
        Assert.Contains($"cutover_request_duration_seconds_bucket{{migration=\"orders\",side=\"candidate\",le=\"10\"}} {candidate}", lines);
        Assert.Contains("cutover_migration_mode{migration=\"orders\",mode=\"canary\"} 1", lines);
        Assert.Contains("cutover_migration_mode{migration=\"orders\",mode=\"legacy\"} 0", lines);
        Assert.Contains("cutover_migration_weight{migration=\"orders\"} 50", lines);
        Assert.Contains("# TYPE cutover_request_duration_seconds histogram", lines);

        // Bucket counts never decrease with the bound, as Prometheus requires.
        var counts = lines.Where(l => l.StartsWith("cutover_request_duration_seconds_bucket{migration=\"orders\",side=\"legacy\"", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(15, counts.Count);
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(legacy, counts[^1]);
    }

    /// <summary>Sends one request per user, a tenth of them to a path the candidate fails; returns what each side served and the candidate's errors.</summary>
    private async Task<(long Legacy, long Candidate, long CandidateErrors)> SendTrafficAsync()
    {
        var sides = new (bool Candidate, bool Failed)[Users];
        await Parallel.ForEachAsync(Enumerable.Range(0, Users), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, i % 10 == 0 ? $"/orders/broken/{i}" : $"/orders/{i}");
            request.Headers.Add("X-User-Id", $"user-{i}");
            using var response = await _proxy.Proxy.SendAsync(request, ct);
            sides[i] = (_candidate.Seen.Any(s => s.Target.EndsWith($"/{i}", StringComparison.Ordinal)), (int)response.StatusCode >= 500);
        });
        var candidate = sides.Count(s => s.Candidate);
        Assert.InRange(candidate, Users / 4, Users * 3 / 4);
        return (Users - candidate, candidate, sides.Count(s => s.Failed));
    }
}
