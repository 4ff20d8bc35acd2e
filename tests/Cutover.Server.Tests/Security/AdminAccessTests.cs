using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Security;
using Cutover.Server.Security;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Security;

/// <summary>Every admin endpoint against every role: the table is the contract, and an endpoint missing from it, or declaring no role, fails.</summary>
public sealed class AdminAccessTests
{
    /// <summary>Every endpoint of the admin API, what it needs, and a body that makes a call of it well-formed.</summary>
    private static readonly (string Method, string Pattern, AdminPermission Permission, string? Body)[] Endpoints =
    [
        ("GET", "/healthz", AdminPermission.Public, null),
        ("GET", "/readyz", AdminPermission.Public, null),
        ("GET", "/metrics", AdminPermission.Read, null),
        ("GET", "/api/migrations", AdminPermission.ReadState, null),
        ("GET", "/api/migrations/{name}", AdminPermission.ReadState, null),
        ("GET", "/api/events", AdminPermission.ReadState, null),
        ("GET", "/api/whoami", AdminPermission.ReadState, null),
        ("GET", "/", AdminPermission.Public, null),
        ("GET", "/ui/{file}", AdminPermission.Public, null),
        ("POST", "/api/migrations/{name}/weight", AdminPermission.Operate, """{"weight": 20}"""),
        ("POST", "/api/migrations/{name}/mode", AdminPermission.Operate, """{"mode": "canary"}"""),
        ("POST", "/api/migrations/{name}/rollback", AdminPermission.Operate, "{}"),
        ("POST", "/api/migrations/{name}/promote", AdminPermission.Operate, "{}"),
        ("POST", "/api/migrations/{name}/retry", AdminPermission.Operate, "{}"),
        ("POST", "/api/migrations/{name}/pause", AdminPermission.Operate, "{}"),
        ("POST", "/api/migrations/{name}/resume", AdminPermission.Operate, "{}"),
        ("POST", "/api/migrations/{name}/abort", AdminPermission.Operate, "{}"),
        ("GET", "/api/migrations/{name}/report", AdminPermission.Read, null),
        ("GET", "/api/migrations/{name}/divergences", AdminPermission.Read, null),
        ("GET", "/api/migrations/{name}/metrics", AdminPermission.Read, null),
        ("GET", "/api/migrations/{name}/checks", AdminPermission.Read, null),
        ("GET", "/api/migrations/{name}/judge", AdminPermission.Read, null),
        ("GET", "/api/fleet", AdminPermission.Read, null),
        ("GET", "/api/backfills", AdminPermission.Read, null),
        ("GET", "/api/backfills/{name}", AdminPermission.Read, null),
        ("GET", "/api/audit", AdminPermission.Read, null),
        ("POST", "/api/apply", AdminPermission.Operate, "APPLY"),
        ("GET", "/api/export", AdminPermission.Administer, null),
        ("POST", "/api/results", AdminPermission.Report, """{"app": "billing", "migrations": [{"name": "billing-tax"}]}"""),
        ("GET", "/api/tokens", AdminPermission.Administer, null),
        ("POST", "/api/tokens", AdminPermission.Administer, """{"name": "NEW", "role": "viewer"}"""),
        ("POST", "/api/tokens/{name}/revoke", AdminPermission.Administer, "{}"),
    ];

    [Fact]
    public async Task Endpoints_EveryOneIsInTheTableWithTheRoleItDeclares()
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);

        var mapped = server.Host.AdminServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => (Method: method, Pattern: e.RoutePattern.RawText!, Access: e.Metadata.GetMetadata<AdminAccess>())))
            .ToList();

        Assert.Empty(mapped.Where(e => e.Access is null).Select(e => $"{e.Method} {e.Pattern} declares no role"));
        Assert.Equal(
            Endpoints.Select(e => $"{e.Method} {e.Pattern}: {e.Permission}").Order(StringComparer.Ordinal),
            mapped.Select(e => $"{e.Method} {e.Pattern}: {e.Access!.Permission}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryRole_AgainstEveryEndpoint_IsLetThroughExactlyWhereItsRoleAllows()
    {
        var time = new ManualTime();
        await using var fixture = await TokenFixture.StartAsync(TokenFixture.EveryRole(), new CutoverHostOptions { Time = time, LogLevel = LogLevel.Error });
        var server = fixture.Server;
        var outcomes = new List<string>();
        foreach (var (method, pattern, permission, _) in Endpoints)
        {
            foreach (var role in Enum.GetValues<AdminRole>())
            {
                using var response = await SendAsync(server, method, pattern, fixture.Tokens[role.ToWire()], role.ToWire());
                var allowed = role.Allows(permission);
                var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                if (allowed == refused)
                {
                    outcomes.Add($"{role.ToWire()} on {method} {pattern}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (refused)
                {
                    var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Assert.Equal(AdminRoles.AllowedFor(permission), problem.GetProperty("requiredRole").GetString());
                }
            }

            using var anonymous = await SendAsync(server, method, pattern, token: null, "anonymous");
            var expected = permission == AdminPermission.Public ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
            if (anonymous.StatusCode != expected)
            {
                outcomes.Add($"no token on {method} {pattern}: {(int)anonymous.StatusCode}, expected {(int)expected}");
            }

            // A new window for the failed-attempt limit, which the anonymous calls use up.
            time.Advance(FailedAttempts.Window);
        }

        Assert.Empty(outcomes);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheAdminMarker()
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);

        foreach (var path in new[] { "/api/migrations", "/api/migrations/nope", "/no/such/path", "/healthz" })
        {
            using var response = await server.Admin.GetAsync(path);
            Assert.True(response.Headers.TryGetValues(AdminMarker.Header, out var values), $"{path} answered {(int)response.StatusCode} without {AdminMarker.Header}");
            Assert.Equal([AdminMarker.Value], values);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(ProxyUnderTest server, string method, string pattern, string? token, string caller)
    {
        var (_, _, _, body) = Endpoints.First(e => e.Method == method && e.Pattern == pattern);
        var path = pattern.Replace("{name}", pattern.StartsWith("/api/tokens", StringComparison.Ordinal) ? "nobody" : "orders", StringComparison.Ordinal)
            .Replace("{file}", "app.js", StringComparison.Ordinal);
        if (body == "APPLY")
        {
            body = JsonSerializer.Serialize(new { config = server.ConfigText(), dryRun = true });
        }

        body = body?.Replace("NEW", $"made-by-{caller}", StringComparison.Ordinal);
        using var request = TokenFixture.Request(new HttpMethod(method), path, token, body);
        var response = await server.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response;
    }
}
