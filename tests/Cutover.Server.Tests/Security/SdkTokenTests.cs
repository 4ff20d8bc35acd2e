using Cutover.Core.Security;
using Cutover.Server.Tests.Link;

namespace Cutover.Server.Tests.Security;

/// <summary>The SDK's link against a control plane with tokens: a reporter token follows the state and reports; none follows nothing.</summary>
public sealed class SdkTokenTests
{
    [Fact]
    public async Task Link_WithAReporterToken_FollowsTheStateAndItsReportsCount_WithoutOne_IsRefused()
    {
        await using var fixture = await TokenFixture.StartAsync([
            new TokenRequest("billing", AdminRole.Reporter, null, ["billing-tax"]),
            new TokenRequest("ops", AdminRole.Operator, null, null),
        ]);
        var admin = fixture.Server.Host.AdminAddress;
        await using var app = await LinkedApp.StartAsync(admin, cacheFile: null, configure: o => o.Token = fixture.Tokens["billing"]);
        await using var anonymous = await LinkedApp.StartAsync(admin, cacheFile: null);
        await app.WaitForAsync("billing-tax", s => s is not null);

        using var weight = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/billing-tax/weight", fixture.Tokens["ops"], """{"weight": 30}"""));
        weight.EnsureSuccessStatusCode();
        await app.WaitForAsync("billing-tax", s => s?.Weight == 30);
        app.Metrics.For("billing-tax").Candidate.Record(1_000, failed: false);
        await app.ReportAsync();
        anonymous.Metrics.For("billing-tax").Candidate.Record(1_000, failed: false);
        await anonymous.ReportAsync();

        using var read = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations/billing-tax", fixture.Tokens["ops"]));
        var view = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Cutover.Server.Admin.MigrationView>(read.Content);
        Assert.Equal(1, view!.Stats.Candidate.Requests);
        Assert.Equal((1L, 0L), (app.Status.ReportsSent, app.Status.ReportsDropped));
        // Refused the state, the tokenless app does not know the migration, so it runs legacy and sends nothing.
        Assert.Null(anonymous.Table.Find("billing-tax"));
        Assert.Equal((0L, 1L), (anonymous.Status.ReportsSent, anonymous.Status.CallsDropped));
    }
}
