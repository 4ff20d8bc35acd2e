using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Core.Security;
using Cutover.Core.State;
using Cutover.Kernel.Link;
using Cutover.Server.Admin;
using Cutover.Server.Hosting;
using Cutover.Server.Security;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Store;
using Cutover.Store.Opening;
using Cutover.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Security;

/// <summary>Tokens: who they say a caller is, what they let through, and how they are made, limited, throttled and revoked.</summary>
public sealed class TokenTests
{
    [Fact]
    public async Task Change_WithAToken_IsAuditedAsTheTokensName_AndTheBodysActorOnlyOnBehalfOf()
    {
        await using var fixture = await TokenFixture.StartAsync([new TokenRequest("ci-deploy", AdminRole.Operator, null, null)]);
        var token = fixture.Tokens["ci-deploy"];

        using var weight = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/orders/weight", token, """{"weight": 50, "actor": "cutover"}"""));
        weight.EnsureSuccessStatusCode();
        using var rollback = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/orders/rollback", token, """{"actor": "alice", "reason": "p99"}"""));
        rollback.EnsureSuccessStatusCode();

        using var read = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/audit?migration=orders&limit=2", token));
        var audit = await read.Content.ReadFromJsonAsync<List<AuditEntry>>();
        Assert.Equal(["ci-deploy (on behalf of alice)", "ci-deploy (on behalf of cutover)"], audit!.Select(a => a.Actor));
    }

    [Fact]
    public async Task Results_ForAnHttpMigration_AreRefusedAndCountNothing_ForACodeMigration_AreCounted()
    {
        await using var fixture = await TokenFixture.StartAsync([new TokenRequest("billing", AdminRole.Reporter, null, null)]);
        var token = fixture.Tokens["billing"];
        var forged = JsonSerializer.Serialize(new ResultsReport("evil", [new MigrationResults("orders", new SideResults(0, 0, null), new SideResults(20_000, 0, null), null)]));

        using var refused = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/results", token, forged));
        var honest = JsonSerializer.Serialize(new ResultsReport("billing", [new MigrationResults("billing-tax", new SideResults(3, 0, null), new SideResults(2, 0, null), null)]));
        using var accepted = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/results", token, honest));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("orders is an http migration, counted by the proxy alone", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(0, (await ViewAsync(fixture, "orders", token)).Stats.Candidate.Requests);
        Assert.Equal(2, (await ViewAsync(fixture, "billing-tax", token)).Stats.Candidate.Requests);
    }

    [Fact]
    public async Task TokenLimitedToMigrations_ChangesAndReportsOnlyThose()
    {
        await using var fixture = await TokenFixture.StartAsync([
            new TokenRequest("orders-ops", AdminRole.Operator, null, ["orders"]),
            new TokenRequest("tax-app", AdminRole.Reporter, null, ["billing-tax"]),
        ]);
        var admin = fixture.Server.Admin;
        var ops = fixture.Tokens["orders-ops"];

        using var own = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/orders/weight", ops, """{"weight": 20}"""));
        using var other = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/billing-fx/weight", ops, """{"weight": 20}"""));
        // The file moves billing-tax, which the token may not change, besides orders, which it may.
        var file = fixture.Server.ConfigText(TokenFixture.Migrations.Replace("kind: code\n  - name: billing-fx", "kind: code\n    mode: canary\n    weight: 50\n  - name: billing-fx", StringComparison.Ordinal));
        using var apply = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/apply", ops, JsonSerializer.Serialize(new { config = file })));
        var fx = JsonSerializer.Serialize(new ResultsReport("billing", [new MigrationResults("billing-fx", new SideResults(1, 0, null), new SideResults(1, 0, null), null)]));
        using var report = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/results", fixture.Tokens["tax-app"], fx));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("may change only orders, not 'billing-fx'", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, apply.StatusCode);
        Assert.Contains("would change billing-tax, which this token may not change", await apply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        Assert.Contains("may report only on billing-tax, not billing-fx", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("legacy", (await ViewAsync(fixture, "billing-tax", ops)).Mode);
    }

    [Fact]
    public async Task TokenLimitedToOneLockstepMember_IsRefusedAPlanCommand_ThatWouldMoveTheWholeGroup()
    {
        const string Group = """
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:9
                candidate: http://127.0.0.1:9
                group: checkout
                plan: &plan { steps: [{ weight: 10 }, { weight: 100 }] }
              - name: payments
                match: { pathPrefix: /payments }
                legacy: http://127.0.0.1:9
                candidate: http://127.0.0.1:9
                group: checkout
                plan: *plan
            """;
        await using var fixture = await TokenFixture.StartAsync(
            [new TokenRequest("orders-ops", AdminRole.Operator, null, ["orders"]), new TokenRequest("checkout-ops", AdminRole.Operator, null, ["orders", "payments"])],
            migrations: Group, topLevel: "lockstep: [checkout]");

        using var refused = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/orders/abort", fixture.Tokens["orders-ops"], "{}"));
        using var allowed = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/orders/abort", fixture.Tokens["checkout-ops"], "{}"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(
            "'orders' moves in lockstep with payments, and token 'orders-ops' may not change payments. Use a token made with --migrations orders,payments",
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("aborted", (await ViewAsync(fixture, "payments", fixture.Tokens["checkout-ops"])).Plan!.Status);
    }

    [Fact]
    public async Task FailedAttempts_PastTheLimit_Get429EvenWithAGoodToken_UntilTheWindowEnds()
    {
        var time = new ManualTime();
        await using var fixture = await TokenFixture.StartAsync(TokenFixture.EveryRole(), new CutoverHostOptions { Time = time, LogLevel = LogLevel.Error });
        var admin = fixture.Server.Admin;
        var wrong = AccessToken.Generate();

        for (var i = 0; i < FailedAttempts.Limit; i++)
        {
            using var refused = await admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", wrong));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        }

        using var throttled = await admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", fixture.Tokens["viewer"]));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);

        time.Advance(FailedAttempts.Window);
        using var served = await admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", fixture.Tokens["viewer"]));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_IsRefusedNamingWhen()
    {
        var time = new ManualTime();
        var folder = Directory.CreateTempSubdirectory("cutover-tokens-").FullName;
        try
        {
            var store = "sqlite:" + Path.Combine(folder, "cutover.db");
            string token;
            await using (var tokens = ControlStoreFactory.CreateTokenStore(store, time))
            {
                await tokens.InitializeAsync();
                token = (await TokenIssuer.IssueAsync(tokens, new TokenRequest("short", AdminRole.Viewer, TimeSpan.FromHours(1), null), "test", string.Empty, time.GetUtcNow(), default))!.Value.Token;
            }

            await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations, options: new CutoverHostOptions { Time = time, LogLevel = LogLevel.Error }, store: store, topLevel: "adminAuth: tokens");
            using var before = await server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", token));
            time.Advance(TimeSpan.FromHours(1));
            using var after = await server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", token));

            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Contains("token 'short' expired at 2026-01-01 01:00:00 UTC", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TokensApi_MakesAListsAndRevokes_ShowingTheTokenOnceAndStoringOnlyItsHash()
    {
        await using var fixture = await TokenFixture.StartAsync([new TokenRequest("root", AdminRole.Admin, null, null)]);
        var admin = fixture.Server.Admin;
        var root = fixture.Tokens["root"];

        using var create = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/tokens", root,
            """{"name": "ci-deploy", "role": "operator", "expires": "30d", "migrations": ["orders"], "reason": "pipeline"}"""));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var created = (await create.Content.ReadFromJsonAsync<TokenCreated>())!;
        Assert.True(AccessToken.IsWellFormed(created.Secret));
        Assert.Equal(("operator", created.Secret[..AccessToken.PrefixLength]), (created.Token.Role, created.Token.Prefix));
        Assert.Equal(["orders"], created.Token.Migrations!);

        // The new token works at once on this replica, and the listing never shows it.
        using var used = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/migrations/orders/weight", created.Secret, """{"weight": 30}"""));
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        using var list = await admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/tokens", root));
        var listing = await list.Content.ReadAsStringAsync();
        Assert.Contains("\"ci-deploy\"", listing, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret, await File.ReadAllTextAsync(Path.Combine(fixture.Folder, "cutover.db"), System.Text.Encoding.Latin1), StringComparison.Ordinal);

        using var duplicate = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/tokens", root, """{"name": "ci-deploy", "role": "viewer"}"""));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        using var bad = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/tokens", root, """{"name": "Local", "role": "boss", "expires": "soon", "migrations": ["nope"]}"""));
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(
            [
                "'Local' is not a token name; use 1 to 63 lowercase letters, digits and dashes, like ci-deploy",
                "'boss' is not a role; use viewer, reporter, operator or admin",
                "'soon' is not an expiry; use a number of days like 30d, or a duration like 12h",
                "'nope' is not a migration of this Cutover (it serves orders, billing-tax, billing-fx)",
            ],
            errors);

        using var revoke = await admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/tokens/ci-deploy/revoke", root, """{"reason": "leaked"}"""));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var refused = await admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", created.Secret));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var audit = await admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/audit?limit=3", root));
        var rows = (await audit.Content.ReadFromJsonAsync<List<AuditEntry>>())!;
        Assert.Equal([("token-revoke", "root", "leaked"), ("weight", "ci-deploy", string.Empty), ("token-create", "root", "pipeline")], rows.Select(r => (r.Action, r.Actor, r.Reason)));
    }

    [Fact]
    public async Task RevokedToken_IsRefusedWithinASecond_OnASecondReplicaOnPostgres()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        var tokens = await TokenFixture.IssueAsync(postgres.Location, new TokenRequest("root", AdminRole.Admin, null, null), new TokenRequest("ci", AdminRole.Viewer, null, null));
        await using var first = await ProxyUnderTest.StartAsync(TokenFixture.Migrations, store: postgres.Location, topLevel: "adminAuth: tokens");
        await using var second = await first.StartReplicaAsync(new CutoverHostOptions { LogLevel = LogLevel.Warning });
        using var before = await second.Admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", tokens["ci"]));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var revoke = await first.Admin.SendAsync(TokenFixture.Request(HttpMethod.Post, "/api/tokens/ci/revoke", tokens["root"], "{}"));
        revoke.EnsureSuccessStatusCode();
        var revoked = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var after = await second.Admin.SendAsync(TokenFixture.Request(HttpMethod.Get, "/api/migrations", tokens["ci"]));
            status = after.StatusCode;
        }
        while (status == HttpStatusCode.OK && revoked.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(1), $"the second replica took {revoked.Elapsed.TotalMilliseconds:0} ms to refuse the revoked token");
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://192.0.2.10:0")]
    public async Task AdminOffLoopback_WithoutTokens_RefusesToStartNamingTheFix(string address)
    {
        var definition = ConfigLoader.Load($"""
            admin: http://127.0.0.1:0
            listen: http://127.0.0.1:0
            store: "sqlite:{Path.Combine(Path.GetTempPath(), "cutover-never-" + Guid.NewGuid().ToString("N") + ".db")}"
            migrations:
            {TokenFixture.Migrations}
            """, "test.yaml");

        var refused = await Assert.ThrowsAsync<ConfigException>(() => CutoverHost.StartAsync(definition, new CutoverHostOptions { Admin = new Uri(address) }));

        Assert.Contains($"admin: '{address}/' is not a loopback address", refused.Message, StringComparison.Ordinal);
        Assert.Contains("set 'adminAuth: tokens'", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<MigrationView> ViewAsync(TokenServer fixture, string name, string token)
    {
        using var response = await fixture.Server.Admin.SendAsync(TokenFixture.Request(HttpMethod.Get, $"/api/migrations/{name}", token));
        return (await response.Content.ReadFromJsonAsync<MigrationView>())!;
    }
}
