using System.Globalization;
using System.Net;
using System.Text.Json;
using Cutover.Kernel.Comparison;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Tests.Shadow;

/// <summary>Shadow mode against real backends: users get legacy, copies go to the candidate, divergences are grouped with evidence.</summary>
public sealed class ShadowDivergenceTests
{
    private static Task LegacyOrder(HttpContext context)
    {
        var id = context.Request.Path.Value!.Split('/')[^1];
        return ScriptedBackend.Json(context, $$"""{"id":{{id}},"status":"open","email":"u{{id}}@example.com","items":[{"sku":"a","price":1.5},{"sku":"b","price":2}]}""");
    }

    /// <summary>The candidate gets prices wrong on even ids and drops the status of order 7.</summary>
    private static Task CandidateOrder(HttpContext context)
    {
        var id = int.Parse(context.Request.Path.Value!.Split('/')[^1], CultureInfo.InvariantCulture);
        var price = id % 2 == 0 ? 9 : 2;
        var status = id == 7 ? string.Empty : "\"status\":\"open\",";
        return ScriptedBackend.Json(context, $$"""{"id":{{id}},{{status}}"email":"u{{id}}@example.com","items":[{"sku":"a","price":1.5},{"sku":"b","price":{{price}}}]}""");
    }

    [Fact]
    public async Task ShadowMode_ServesLegacy_AndGroupsDivergencesByEndpointAndPath()
    {
        await using var legacy = await ScriptedBackend.StartAsync(LegacyOrder);
        await using var candidate = await ScriptedBackend.StartAsync(CandidateOrder);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, """
            shadow:
              redact: { headers: [X-Api-Key], fields: [email] }
            """));

        for (var id = 1; id <= 10; id++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{id}");
            request.Headers.Add("Authorization", "Bearer secret-token");
            request.Headers.Add("X-Api-Key", "key-123");
            using var response = await proxy.Proxy.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"status\":\"open\"", body, StringComparison.Ordinal);
            Assert.Contains("\"price\":2}", body, StringComparison.Ordinal);
        }

        var view = await ShadowHarness.SettledAsync(proxy, 10);

        Assert.Equal(10, view.Shadow.Mirrored);
        Assert.Equal(10, view.Shadow.Compared);
        Assert.Equal(6, view.Shadow.Divergent);
        Assert.Equal(0.6, view.Shadow.DivergenceRate, 3);
        var endpoint = Assert.Single(view.Endpoints);
        Assert.Equal("GET /orders/{id}", endpoint.Endpoint);
        Assert.Equal(10, endpoint.Compared);
        Assert.Equal(6, endpoint.Divergent);
        var price = Assert.Single(endpoint.Paths, p => p.Path == "$.items[*].price");
        Assert.Equal(5, price.Count);
        Assert.Equal(DifferenceKind.ValueChanged, price.Kind);
        var status = Assert.Single(endpoint.Paths, p => p.Path == "$.status");
        Assert.Equal(1, status.Count);
        Assert.Equal(DifferenceKind.Missing, status.Kind);
        Assert.Equal(2, endpoint.Paths.Count);
        Assert.True(endpoint.FirstSeen <= endpoint.LastSeen);

        var sample = view.Sample;
        Assert.NotNull(sample);
        Assert.Equal("GET /orders/{id}", sample.Endpoint);
        Assert.StartsWith("/orders/", sample.Request!.Target, StringComparison.Ordinal);
        Assert.Equal("[redacted]", sample.Request.Headers["Authorization"]);
        Assert.Equal("[redacted]", sample.Request.Headers["X-Api-Key"]);
        Assert.Equal(200, sample.Legacy.Status);
        Assert.Equal(200, sample.Candidate.Status);
        Assert.True(sample.Legacy.LatencyMs > 0 && sample.Candidate.LatencyMs > 0);
        Assert.Contains("\"email\":\"[redacted]\"", sample.Legacy.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", sample.Candidate.Body, StringComparison.Ordinal);
        var difference = Assert.Single(sample.Differences);
        Assert.Equal(sample.Path == "$.status" ? "$.status" : "$.items[1].price", difference.Path);

        var statusSample = await ShadowHarness.DivergencesAsync(proxy, $"?sample={Assert.Single(endpoint.Samples, s => s.Path == "$.status").Id}");
        Assert.Equal("/orders/7", statusSample.Sample!.Request!.Target);
        Assert.Equal(new Difference("$.status", DifferenceKind.Missing, "\"open\"", null), Assert.Single(statusSample.Sample.Differences));
        Assert.All(candidate.Seen, seen => Assert.True(seen.IsShadowCopy));
        Assert.All(legacy.Seen, seen => Assert.False(seen.IsShadowCopy));
        Assert.Equal("[redacted]", JsonDocument.Parse(statusSample.Sample.Candidate.Body).RootElement.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Divergences_ListTheIgnoredPaths_SoASampleCanShowThem()
    {
        await using var legacy = await ScriptedBackend.StartAsync(LegacyOrder);
        await using var candidate = await ScriptedBackend.StartAsync(CandidateOrder);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, extra: """
            compare:
              ignore: ["$.items[*].price", "$.status"]
            """));

        (await proxy.Proxy.GetAsync("/orders/2")).EnsureSuccessStatusCode();
        var view = await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal(["$.items[*].price", "$.status"], view.Ignored);
        Assert.Equal(0, view.Shadow.Divergent);
    }

    [Fact]
    public async Task Samples_ArePerPath_AndBounded()
    {
        await using var legacy = await ScriptedBackend.StartAsync(LegacyOrder);
        await using var candidate = await ScriptedBackend.StartAsync(CandidateOrder);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));

        for (var id = 1; id <= 40; id++)
        {
            (await proxy.Proxy.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();
        }

        var view = await ShadowHarness.SettledAsync(proxy, 40);

        var endpoint = Assert.Single(view.Endpoints);
        Assert.Equal(20, Assert.Single(endpoint.Paths, p => p.Path == "$.items[*].price").Count);
        Assert.Equal(3, endpoint.Samples.Count(s => s.Path == "$.items[*].price"));
        Assert.Equal(1, endpoint.Samples.Count(s => s.Path == "$.status"));
    }

    [Fact]
    public async Task UnknownSample_Is404_NamingTheMigration()
    {
        await using var legacy = await ScriptedBackend.StartAsync(LegacyOrder);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, legacy.Url));

        using var response = await proxy.Admin.GetAsync("/api/migrations/orders/divergences?sample=999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no stored sample 999", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unknown = await proxy.Admin.GetAsync("/api/migrations/nope/divergences");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/api/migrations/orders/divergences?sample=newest", "sample", "newest")]
    [InlineData("/api/audit?limit=abc", "limit", "abc")]
    public async Task QueryValueOfTheWrongType_Is400NamingTheParameterAndValue(string url, string parameter, string value)
    {
        await using var legacy = await ScriptedBackend.StartAsync(LegacyOrder);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, legacy.Url));

        using var response = await proxy.Admin.GetAsync(url);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Malformed request", problem.GetProperty("title").GetString());
        Assert.Contains(parameter, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"\"{value}\"", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingMirrored_ReportsAnEmptyReport()
    {
        await using var legacy = await ScriptedBackend.StartAsync(LegacyOrder);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, legacy.Url, mode: "legacy"));

        (await proxy.Proxy.GetAsync("/orders/1")).EnsureSuccessStatusCode();
        var view = await ShadowHarness.DivergencesAsync(proxy);

        Assert.Empty(view.Endpoints);
        Assert.Null(view.Sample);
        Assert.Equal(0, view.Shadow.Mirrored);
        Assert.Single(legacy.Seen);
    }
}
