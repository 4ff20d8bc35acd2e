using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.State;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Admin;

public sealed class AdminApiTests : IAsyncLifetime
{
    private Backends _backends = null!;
    private ProxyUnderTest _proxy = null!;

    public async Task InitializeAsync()
    {
        _backends = await Backends.StartAsync();
        _proxy = await ProxyUnderTest.StartAsync(_backends.Migration(mode: "canary", weight: 20));
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [Fact]
    public async Task ListMigrations_ShowsStateAndPerSideCounts()
    {
        for (var i = 0; i < 40; i++)
        {
            await _proxy.SideOfAsync($"user-{i}");
        }

        var list = await _proxy.Admin.GetFromJsonAsync<List<MigrationView>>("/api/migrations");

        var orders = Assert.Single(list!);
        Assert.Equal(("orders", "canary", 20.0), (orders.Name, orders.Mode, orders.Weight));
        Assert.Equal(40, orders.Stats.Legacy.Requests + orders.Stats.Candidate.Requests);
        Assert.Equal(_backends.Candidate.Requests, orders.Stats.Candidate.Requests);
        Assert.Equal(0, orders.Stats.Legacy.Errors);
    }

    [Fact]
    public async Task Weight_ChangesStateAndWritesTheAuditRow()
    {
        var view = await _proxy.PostAsync("orders", "weight", new { weight = 35, reason = "error rate flat", actor = "alice" });

        Assert.Equal(("canary", 35.0, 2L), (view.Mode, view.Weight, view.Version));
        var audit = await _proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders");
        var row = audit![0];
        Assert.Equal(("local (on behalf of alice)", "weight", "mode=canary weight=20", "mode=canary weight=35", "error rate flat"),
            (row.Actor, row.Action, row.Before, row.After, row.Reason));
        Assert.Equal("seed", audit[^1].Action);
    }

    [Fact]
    public async Task Mode_And_Rollback_AreAudited()
    {
        await _proxy.PostAsync("orders", "mode", new { mode = "candidate", reason = "all green" });
        var rolledBack = await _proxy.PostAsync("orders", "rollback", new { reason = "p99 doubled" });

        Assert.Equal(("legacy", 0.0), (rolledBack.Mode, rolledBack.Weight));
        var audit = (await _proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?limit=2"))!;
        Assert.Equal(["rollback", "mode"], audit.Select(a => a.Action));
        Assert.Equal("mode=candidate weight=20 -> mode=legacy weight=0", $"{audit[0].Before} -> {audit[0].After}");
    }

    [Fact]
    public async Task UnknownMigration_Is404ProblemNamingIt()
    {
        using var response = await _proxy.Admin.PostAsJsonAsync("/api/migrations/nope/weight", new { weight = 5 });

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("There is no migration named 'nope'. Known migrations: orders.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(101)]
    [InlineData(-5)]
    public async Task WeightOutOfRange_Is400NamingTheRange(double weight)
    {
        using var response = await _proxy.Admin.PostAsJsonAsync("/api/migrations/orders/weight", new { weight });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("is outside 0..100", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, (await _proxy.MigrationAsync("orders")).Weight.Percent);
    }

    [Theory]
    [InlineData("weight", "{\"weight\": ")]
    [InlineData("weight", "{\"weight\": \"lots\"}")]
    [InlineData("weight", "{}")]
    [InlineData("mode", "[1,2]")]
    public async Task MalformedBody_Is400ShowingAGoodBody(string action, string body)
    {
        using var response = await _proxy.Admin.PostAsync($"/api/migrations/orders/{action}", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("like {\"" + action + "\": ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMode_Is400ListingTheModes()
    {
        using var response = await _proxy.Admin.PostAsJsonAsync("/api/migrations/orders/mode", new { mode = "blue" });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("'blue' is not a mode; use legacy, shadow, canary, candidate or retired.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RollbackOfRetiredMigration_Is409()
    {
        await _proxy.PostAsync("orders", "mode", new { mode = "retired" });

        using var response = await _proxy.Admin.PostAsJsonAsync("/api/migrations/orders/rollback", new { reason = "oops" });

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("is retired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeBody_IsRefusedWith413()
    {
        using var response = await _proxy.Admin.PostAsync("/api/migrations/orders/weight",
            new StringContent("{\"reason\":\"" + new string('x', 200_000) + "\",\"weight\":5}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(20, (await _proxy.MigrationAsync("orders")).Weight.Percent);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        using var response = await _proxy.Admin.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AuditLimitOutOfRange_Is400()
    {
        using var response = await _proxy.Admin.GetAsync("/api/audit?limit=0");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("limit=0 is outside 1..10000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAndReadiness_AreOk()
    {
        Assert.Equal(HttpStatusCode.OK, (await _proxy.Admin.GetAsync("/healthz")).StatusCode);
        var ready = await _proxy.Admin.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
