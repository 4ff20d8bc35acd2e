using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;

namespace Cutover.Server.Tests.Forwarding;

public class BackendFailureTests
{
    [Fact]
    public async Task CandidateDown_Gives502NamingMigrationAndSide_AndCountsTheError()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        var closedPort = $"http://127.0.0.1:{LoopbackPorts.Refusing()}";
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: {legacy.Url}
                candidate: {closedPort}
                mode: candidate
            """);

        using var response = await proxy.Proxy.GetAsync("/orders/1");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("orders", problem.GetProperty("migration").GetString());
        Assert.Equal("candidate", problem.GetProperty("side").GetString());
        Assert.StartsWith("Migration 'orders': the candidate backend could not be reached", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal(1, view.Stats.Candidate.Errors);
    }

    [Fact]
    public async Task CandidateSilentPastItsTimeout_Gives504NamingTheSide()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate", extra: "timeouts: { candidate: 300ms }"));

        using var response = await proxy.Proxy.GetAsync("/slow?ms=5000");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("Migration 'orders': the candidate backend did not answer within its timeout.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Backend5xx_IsPassedThroughAndCountedAsAnError()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration());

        using var failing = await proxy.Proxy.GetAsync("/status/503");
        using var missing = await proxy.Proxy.GetAsync("/status/404");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal(2, view.Stats.Legacy.Requests);
        Assert.Equal(1, view.Stats.Legacy.Errors);
    }

    [Fact]
    public async Task LegacyDown_DoesNotAffectAnotherMigration()
    {
        await using var healthy = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync($"""
              - name: broken
                match: {"{"} pathPrefix: /broken {"}"}
                legacy: http://127.0.0.1:{LoopbackPorts.Refusing()}
                candidate: http://127.0.0.1:{LoopbackPorts.Refusing()}
            {healthy.Migration("orders", "/orders")}
            """);

        using var broken = await proxy.Proxy.GetAsync("/broken");
        using var fine = await proxy.Proxy.GetAsync("/orders");

        Assert.Equal(HttpStatusCode.BadGateway, broken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }
}
