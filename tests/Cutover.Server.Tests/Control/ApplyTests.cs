using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Core.State;
using Cutover.Server.Control;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Control;

/// <summary><c>POST /api/apply</c> on a real proxy and store: what a file changes live, and what it may not.</summary>
public sealed class ApplyTests
{
    [Fact]
    public async Task Apply_ModeAndWeightInTheFile_RoutesByThemWithAnAuditRow()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("orders", "/orders") + "\n" + backends.Migration("billing", "/billing"));

        using var response = await proxy.ApplyAsync(proxy.ConfigText(backends.Migration("orders", "/orders", mode: "canary", weight: 100)), reason: "all in", actor: "alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<ApplyResult>())!;
        var orders = Assert.Single(result.Migrations);
        Assert.Equal([new FieldChange("mode", "legacy", "canary"), new FieldChange("weight", "0", "100")], orders.Changes);
        Assert.Equal(2, orders.Version);
        Assert.Equal(["billing"], result.NotInFile);
        Assert.Empty(result.NotApplied);
        Assert.Equal("candidate", await proxy.SideOfAsync("u1", "/orders/1"));
        var audit = (await proxy.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders"))![0];
        Assert.Equal(("apply", "local (on behalf of alice)", "all in", "mode=canary weight=100"), (audit.Action, audit.Actor, audit.Reason, audit.After));
        Assert.Contains("\"field\":\"weight\"", audit.Evidence, StringComparison.Ordinal);
        Assert.Equal(1, (await proxy.MigrationAsync("billing")).Version);
    }

    [Fact]
    public async Task Apply_ModeAndWeightLeftOutOfTheFile_LeavesThemAsTheyAre()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 10));
        await proxy.PostAsync("orders", "weight", new { weight = 30, reason = "by hand" });

        using var response = await proxy.ApplyAsync(proxy.ConfigText(backends.Migration(mode: null, weight: null)));

        var orders = Assert.Single((await response.Content.ReadFromJsonAsync<ApplyResult>())!.Migrations);
        Assert.Empty(orders.Changes);
        Assert.Null(orders.Version);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal(("canary", 30.0, 2L), (view.Mode, view.Weight, view.Version));
    }

    [Fact]
    public async Task Apply_ABackendChanged_RefusesTheWholeFileAndChangesNothing()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("orders", "/orders") + "\n" + backends.Migration("billing", "/billing"));
        var file = backends.Migration("orders", "/orders", mode: "canary", weight: 50) + "\n" +
            backends.Migration("billing", "/billing").Replace(backends.Candidate.Url, "http://127.0.0.1:1", StringComparison.Ordinal);

        using var response = await proxy.ApplyAsync(proxy.ConfigText(file));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cannot apply while running", problem.GetProperty("title").GetString());
        var reason = Assert.Single(problem.GetProperty("reasons").EnumerateArray()).GetString();
        Assert.Equal("migration 'billing': candidate differs from what runs, and only a restart changes it; restart `cutover serve` with the file to change it", reason);
        Assert.Contains("nothing was changed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertUntouchedAsync(proxy, "orders");
    }

    [Fact]
    public async Task Apply_AMigrationTheProcessDoesNotServe_IsRefusedSayingToRestart()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("orders", "/orders"));

        using var response = await proxy.ApplyAsync(proxy.ConfigText(backends.Migration("orders", "/orders", weight: 5) + "\n" + backends.Migration("users", "/users")));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var reason = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reasons").EnumerateArray()).GetString();
        Assert.Equal(
            "migration 'users' is not served by this Cutover (it serves orders), and apply changes only migrations it serves; restart `cutover serve` with the file to add it",
            reason);
        await AssertUntouchedAsync(proxy, "orders");
    }

    [Fact]
    public async Task Apply_InvalidFile_Answers400ListingEveryErrorWithItsLine()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("orders", "/orders"));
        const string Config = """
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
                weight: 150
                stickyby: header:X-User-Id
            """;

        using var response = await proxy.ApplyAsync(Config);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid config", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("key").GetString())).ToList();
        Assert.Equal([(2, "weight"), (7, "stickyby")], errors);
        Assert.Contains("test.yaml:7: migration 'orders': stickyby: unknown key; did you mean 'stickyBy'?", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertUntouchedAsync(proxy, "orders");
    }

    [Fact]
    public async Task Apply_TextThatIsNotYaml_Answers400WithTheLine()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("orders", "/orders"));

        using var response = await proxy.ApplyAsync("migrations:\n  - name: orders\n    match: { pathPrefix: /orders\n    legacy: x\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.StartsWith("not valid YAML", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertUntouchedAsync(proxy, "orders");
    }

    [Fact]
    public async Task Apply_NoConfigInTheBody_Answers400ShowingTheBody()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration());

        using var response = await proxy.Admin.PostAsJsonAsync("/api/apply", new { reason = "forgot the file" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must give the config file's text", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_DryRun_SaysWhatWouldChangeAndChangesNothing()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("orders", "/orders"));
        var file = proxy.ConfigText(backends.Migration("orders", "/orders", mode: "canary", weight: 25))
            .Replace("listen: http://127.0.0.1:0", "listen: http://127.0.0.1:8090", StringComparison.Ordinal);

        using var response = await proxy.ApplyAsync(file, dryRun: true);

        var result = (await response.Content.ReadFromJsonAsync<ApplyResult>())!;
        Assert.True(result.DryRun);
        var orders = Assert.Single(result.Migrations);
        Assert.Equal([new FieldChange("mode", "legacy", "canary"), new FieldChange("weight", "0", "25")], orders.Changes);
        Assert.Null(orders.Version);
        Assert.Equal([new FieldChange("listen", "http://127.0.0.1:0/", "http://127.0.0.1:8090/")], result.NotApplied);
        await AssertUntouchedAsync(proxy, "orders");
    }

    [Fact]
    public async Task Apply_ThroughOneReplica_ReachesTheOtherWithItsPlan()
    {
        var fastRefresh = new CutoverHostOptions { LogLevel = LogLevel.Warning, StateRefreshInterval = TimeSpan.FromMilliseconds(100) };
        await using var backends = await Backends.StartAsync();
        await using var first = await ProxyUnderTest.StartAsync(backends.Migration(), options: fastRefresh);
        await using var second = await first.StartReplicaAsync(fastRefresh);

        using var response = await first.ApplyAsync(first.ConfigText(backends.Migration(weight: 20, extra: "plan: { steps: [{ weight: 50 }, { weight: 100 }] }")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        for (var i = 0; i < 100 && (await second.MigrationAsync("orders")).Plan is null; i++)
        {
            await Task.Delay(50);
        }

        var view = await second.MigrationAsync("orders");
        Assert.Equal((20.0, "ready"), (view.Weight, view.Plan?.Status));
        Assert.Equal(["weight 50", "weight 100"], view.Plan!.Steps);
    }

    [Fact]
    public async Task Restart_WithAnAppliedPlanThisBuildRefuses_FailsNamingTheMigrationAndTheWayBack()
    {
        await using var backends = await Backends.StartAsync();
        var proxy = await ProxyUnderTest.StartAsync(backends.Migration());
        var folder = proxy.Folder;
        try
        {
            (await proxy.ApplyAsync(proxy.ConfigText(backends.Migration(extra: "plan: { steps: [{ weight: 50 }] }")))).EnsureSuccessStatusCode();

            // As if a build with laxer rules had stored it.
            var error = await Assert.ThrowsAsync<ControlException>(() => proxy.RestartAsync(whileStopped: () =>
                ExecuteSql(Path.Combine(folder, "cutover.db"), """UPDATE migrations SET plan = '{"steps":[{"kind":"weight","weight":150}]}'""")));

            Assert.Contains("The plan applied to migration 'orders' at run time", error.Message, StringComparison.Ordinal);
            Assert.Contains("plan.steps[1].weight: 150 is outside 0..100", error.Message, StringComparison.Ordinal);
            Assert.Contains("UPDATE migrations SET plan_applied = false, plan = NULL WHERE name = 'orders'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void ExecuteSql(string database, string sql)
    {
        using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>The migration is as it was seeded: version 1 and the seed its only audit row.</summary>
    private static async Task AssertUntouchedAsync(ProxyUnderTest proxy, string name)
    {
        Assert.Equal(1, (await proxy.MigrationAsync(name)).Version);
        var audit = await proxy.Admin.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?migration={name}");
        Assert.Equal(["seed"], audit!.Select(a => a.Action));
    }
}
