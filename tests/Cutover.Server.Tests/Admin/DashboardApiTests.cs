using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Security;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Server.Tests.Rollout;
using Cutover.Server.Tests.Security;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Admin;

/// <summary>The reads the dashboard is built on: who the caller is, and what a plan's gates and triggers read now.</summary>
public sealed class DashboardApiTests
{
    [Fact]
    public async Task WhoAmI_WithATokenLimitedToAMigration_SaysItsNameRoleAndLimit()
    {
        await using var fixture = await TokenFixture.StartAsync(
            [new TokenRequest("vic", AdminRole.Viewer, null, null), new TokenRequest("deploy", AdminRole.Operator, null, ["orders"])],
            new CutoverHostOptions { LogLevel = LogLevel.Error });

        var viewer = await WhoAsync(fixture, "vic");
        var operatorToken = await WhoAsync(fixture, "deploy");

        Assert.Equal(("vic", "viewer", false, "tokens"), (viewer.GetProperty("actor").GetString(), viewer.GetProperty("role").GetString(), viewer.GetProperty("mayOperate").GetBoolean(), viewer.GetProperty("auth").GetString()));
        Assert.Equal(JsonValueKind.Null, viewer.GetProperty("migrations").ValueKind);
        Assert.Equal(("deploy", true), (operatorToken.GetProperty("actor").GetString(), operatorToken.GetProperty("mayOperate").GetBoolean()));
        Assert.Equal(["orders"], operatorToken.GetProperty("migrations").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task WhoAmI_WithoutTokens_IsTheLocalAdmin()
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);

        var who = await server.Admin.GetFromJsonAsync<JsonElement>("/api/whoami");

        Assert.Equal(("local", "admin", true, "none"), (who.GetProperty("actor").GetString(), who.GetProperty("role").GetString(), who.GetProperty("mayOperate").GetBoolean(), who.GetProperty("auth").GetString()));
    }

    [Fact]
    public async Task Judge_FailingCandidate_ShowsItsTriggerHoldingWithValueThresholdAndTimeHeld()
    {
        const string plan = """
            steps:
              - weight: 50
              - pause: {}
            gates: ["candidate.errorRate <= 0.01"]
            triggers: ["candidate.errorRate > 0.5 for 10s"]
            minSamples: 20
            """;
        await using var harness = await RolloutHarness.StartAsync(plan);
        await harness.SendTrafficAsync();
        (await harness.PostAsync("promote")).EnsureSuccessStatusCode();
        await harness.DriveUntilAsync(v => v.Plan!.Status == "paused", TimeSpan.FromMinutes(1));
        var calm = await JudgeAsync(harness);
        Assert.Equal("not-met", calm.GetProperty("triggers")[0].GetProperty("verdict").GetString());

        harness.CandidateFails = true;
        var trigger = calm.GetProperty("triggers")[0];
        for (var second = 0; trigger.GetProperty("heldSeconds").ValueKind != JsonValueKind.Number; second++)
        {
            Assert.True(second < 60, "the trigger did not hold within a minute of clock time");
            await harness.SendTrafficAsync(80);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await RolloutHarness.SettleAsync();
            trigger = (await JudgeAsync(harness)).GetProperty("triggers")[0];
        }

        Assert.Equal(("candidate.errorRate > 0.5 for 10s", "met", 0.5, 10.0), (
            trigger.GetProperty("condition").GetString(), trigger.GetProperty("verdict").GetString(),
            trigger.GetProperty("threshold").GetDouble(), trigger.GetProperty("forSeconds").GetDouble()));
        Assert.True(trigger.GetProperty("value").GetDouble() > 0.5);
        Assert.InRange(trigger.GetProperty("heldSeconds").GetDouble(), 0, 10);
    }

    [Fact]
    public async Task Judge_WithoutAPlan_IsA409NamingTheFix()
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);

        using var response = await server.Admin.GetAsync("/api/migrations/orders/judge");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has no plan", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WhoAsync(TokenServer fixture, string token)
    {
        using var request = TokenFixture.Request(HttpMethod.Get, "/api/whoami", fixture.Tokens[token]);
        using var response = await fixture.Server.Admin.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> JudgeAsync(RolloutHarness harness) =>
        await harness.Proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/judge");
}
