using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Kernel.Link;
using Cutover.Kernel.Metrics;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Admin;

/// <summary>The admin API's side of the SDK link: the state stream (<c>GET /api/events</c>) and the results intake (<c>POST /api/results</c>).</summary>
public sealed class LinkApiTests
{
    private const string Migrations = """
          - name: billing-tax
            kind: code
          - name: orders
            match: { pathPrefix: /orders }
            legacy: http://127.0.0.1:9
            candidate: http://127.0.0.1:9
            mode: shadow
        """;

    [Fact]
    public async Task Events_StartWithEveryMigrationsStateThenStreamEachChangeAndKeepAlives()
    {
        var time = new ManualTime();
        await using var server = await ProxyUnderTest.StartAsync(Migrations, options: new CutoverHostOptions { Time = time, LogLevel = LogLevel.Warning });
        using var response = await server.Admin.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var snapshot = await NextEventAsync(reader);
        Assert.Equal("snapshot", snapshot.Name);
        var states = JsonSerializer.Deserialize<StateSnapshot>(snapshot.Data, JsonSerializerOptions.Web)!.Migrations;
        Assert.Equal([("billing-tax", "legacy", 0.0), ("orders", "shadow", 0.0)], states.Select(s => (s.Name, s.Mode, s.Weight)));

        await server.PostAsync("billing-tax", "weight", new { weight = 20 });
        var change = await NextEventAsync(reader);
        Assert.Equal("state", change.Name);
        var state = JsonSerializer.Deserialize<MigrationStateEvent>(change.Data, JsonSerializerOptions.Web)!;
        Assert.Equal(("billing-tax", "canary", 20.0), (state.Name, state.Mode, state.Weight));
        Assert.True(state.Version > states[0].Version);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(": keep-alive", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        await server.PostAsync("orders", "rollback", new { reason = "p99 doubled" });
        var rollback = JsonSerializer.Deserialize<MigrationStateEvent>((await NextEventAsync(reader)).Data, JsonSerializerOptions.Web)!;
        Assert.Equal(("orders", "legacy", 0.0), (rollback.Name, rollback.Mode, rollback.Weight));
    }

    [Fact]
    public async Task Results_AreCountedLikeProxiedTraffic()
    {
        await using var server = await ProxyUnderTest.StartAsync(Migrations);
        var latency = HistogramSnapshot.Of([1_000, 2_000, 40_000]).ToBytes();

        using var response = await server.Admin.PostAsJsonAsync("/api/results", new ResultsReport("billing", [
            new MigrationResults("billing-tax", new SideResults(3, 0, latency), new SideResults(3, 2, latency), new ShadowResults(4, 1, 1)),
        ]));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var view = await server.MigrationAsync("billing-tax");
        Assert.Equal((3L, 3L, 2L), (view.Stats.Legacy.Requests, view.Stats.Candidate.Requests, view.Stats.Candidate.Errors));
        Assert.Equal((4L, 1L, 1L), (view.Stats.Shadow.Compared, view.Stats.Shadow.Divergent, view.Stats.Shadow.CandidateErrors));
        var metrics = await server.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/billing-tax/metrics?window=1m");
        Assert.Equal(40, metrics.GetProperty("candidate").GetProperty("latencyMs").GetProperty("p99").GetDouble(), tolerance: 0.5);
    }

    [Theory]
    [InlineData("""{"migrations": []}""", "app is missing; give the reporting application's name")]
    [InlineData("""{"app": "billing"}""", "migrations is missing; give a list, empty when nothing ran")]
    [InlineData("""{"app": "billing", "migrations": [{"name": "nope"}]}""", "migrations[0] (nope) is not a code-level migration of this control plane; known: billing-tax")]
    [InlineData("""{"app": "billing", "migrations": [{"legacy": {"requests": 1, "errors": 0}}]}""", "migrations[0].name is missing")]
    [InlineData("""{"app": "billing", "migrations": [{"name": "billing-tax", "legacy": {"requests": 5, "errors": 0}, "candidate": {"requests": 1, "errors": 2}}]}""", "migrations[0] (billing-tax).candidate counts must be 0 or more, with errors at most requests")]
    [InlineData("""{"app": "billing", "migrations": [{"name": "billing-tax", "legacy": {"requests": -1, "errors": 0}}]}""", "migrations[0] (billing-tax).legacy counts must be 0 or more")]
    [InlineData("""{"app": "billing", "migrations": [{"name": "billing-tax", "legacy": {"requests": 1, "errors": 0, "latency": "AAAA"}}]}""", "migrations[0] (billing-tax).legacy.latency is not a latency histogram")]
    [InlineData("""{"app": "billing", "migrations": [{"name": "billing-tax", "shadow": {"compared": 1, "divergent": 2, "candidateErrors": 0}}]}""", "migrations[0] (billing-tax).shadow counts must be 0 or more, with divergent at most compared")]
    [InlineData("""{"app": "billing", "migrations": [{"name": "billing-tax"}, {"name": "billing-tax"}]}""", "migrations[1] (billing-tax) appears twice")]
    public async Task Results_BadReport_Is400NamingTheEntryAndCountsNothing(string body, string expected)
    {
        await using var server = await ProxyUnderTest.StartAsync(Migrations);

        using var response = await server.Admin.PostAsync("/api/results", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid results", problem.GetProperty("title").GetString());
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.MigrationAsync("billing-tax")).Stats.Legacy.Requests);
        Assert.Equal(0, (await server.MigrationAsync("orders")).Stats.Legacy.Requests);
    }

    [Theory]
    [InlineData("""[{"stickyKey": "u"}]""", "samples[0].migration is missing; give the migration's name as in the control plane's config")]
    [InlineData("""[{"migration": "nope"}]""", "samples[0].migration 'nope' is not a code-level migration of this control plane; known: billing-tax")]
    [InlineData("""[{"migration": "billing-tax", "legacy": "1", "candidate": "2"}]""", "samples[0].time is missing; give when the comparison was made (ISO 8601)")]
    [InlineData("""[{"migration": "billing-tax", "time": "2026-01-01T00:00:00Z", "candidate": "2"}]""", "samples[0].legacy is missing; give the text (empty when there is none)")]
    [InlineData("""[{"migration": "billing-tax", "time": "2026-01-01T00:00:00Z", "legacy": "1", "candidate": "LONG"}]""", "samples[0].candidate has 8193 characters, more than 8192; cut it to at most 8192 characters (the SDK does)")]
    [InlineData("""[{"migration": "billing-tax", "time": "2026-01-01T00:00:00Z", "legacy": "1", "candidate": "2", "differences": [{"path": "$.a", "kind": "valueChanged"}], "totalDifferences": 0}]""", "samples[0].totalDifferences is 0, fewer than the 1 differences listed")]
    [InlineData("""[{"migration": "billing-tax", "time": "2026-01-01T00:00:00Z", "legacy": "1", "candidate": "2", "differences": [{"kind": "valueChanged"}], "totalDifferences": 1}]""", "samples[0].differences[0].path is missing")]
    [InlineData("""[{"migration": "billing-tax", "time": "2026-01-01T00:00:00Z", "legacy": "1", "candidate": "2"}, {"migration": "billing-tax", "time": "2026-01-01T00:00:00Z", "legacy": "1", "candidate": "2", "stickyKey": "LONG"}]""", "samples[1].stickyKey has 8193 characters, more than 256")]
    public async Task Results_BadSample_Is400NamingTheFieldAndKeepsNothing(string samples, string expected)
    {
        await using var server = await ProxyUnderTest.StartAsync(Migrations);
        var body = $$$"""{"app": "billing", "migrations": [{"name": "billing-tax", "shadow": {"compared": 2, "divergent": 2, "candidateErrors": 0}}], "samples": {{{samples.Replace("LONG", new string('x', SampleLimits.ResultChars + 1), StringComparison.Ordinal)}}}}""";

        using var response = await server.Admin.PostAsync("/api/results", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(expected, problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).Single(e => e.StartsWith("samples", StringComparison.Ordinal)), StringComparison.Ordinal);
        var divergences = await server.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/billing-tax/divergences");
        Assert.Empty(divergences.GetProperty("endpoints").EnumerateArray());
        Assert.Equal(0, (await server.MigrationAsync("billing-tax")).Stats.Shadow.Compared);
    }

    [Fact]
    public async Task Results_MoreSamplesThanAReportCarries_Is400SayingToSendTheRestLater()
    {
        await using var server = await ProxyUnderTest.StartAsync(Migrations);
        var sample = new CallSample("billing-tax", null, DateTimeOffset.UnixEpoch, "1", "2", false, false, [], 1);

        using var response = await server.Admin.PostAsJsonAsync("/api/results", new ResultsReport("billing", [], Enumerable.Repeat(sample, SampleLimits.SamplesPerReport + 1).ToList()));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("samples has 11 entries, more than 10; send the rest with the next report", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_MalformedOrOversizedBody_IsAProblemSayingWhatToSend()
    {
        await using var server = await ProxyUnderTest.StartAsync(Migrations);

        using var malformed = await server.Admin.PostAsync("/api/results", new StringContent("{\"app\": ", Encoding.UTF8, "application/json"));
        Assert.Contains("The body must be JSON like {\"app\": \"billing\"", (await ProblemAsync(malformed, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var empty = await server.Admin.PostAsync("/api/results", new StringContent(string.Empty, Encoding.UTF8, "application/json"));
        await ProblemAsync(empty, HttpStatusCode.BadRequest);

        var huge = "{\"app\": \"" + new string('x', 4200 * 1024) + "\", \"migrations\": []}";
        // Expect: 100-continue, so the refusal comes before the body is sent rather than resetting the upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/results") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var oversized = await server.Admin.SendAsync(request);
        Assert.Contains("more than the 4194304 accepted", (await ProblemAsync(oversized, (HttpStatusCode)413)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(string Name, string Data)> NextEventAsync(StreamReader reader)
    {
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
            else if (line.Length == 0 && name is not null)
            {
                return (name, data.ToString());
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
