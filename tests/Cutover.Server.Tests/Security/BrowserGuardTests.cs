using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.State;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Security;

/// <summary>Without tokens, on loopback: a web page cannot move traffic, by a simple cross-site POST or by DNS rebinding; programs can.</summary>
public sealed class BrowserGuardTests
{
    [Fact]
    public async Task TextPlainPost_FromAForeignPage_IsRefusedAndChangesNothing()
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/migrations/orders/weight")
        {
            Content = new StringContent("""{"weight": 100, "actor": "cutover"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type: application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10.0, (await server.MigrationAsync("orders")).Weight);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example", "Foreign origin")]
    [InlineData("Origin", "null", "Foreign origin")]
    [InlineData("Sec-Fetch-Site", "cross-site", "Cross-site request")]
    public async Task JsonPost_FromABrowserOnAnotherSite_IsRefused(string header, string value, string title)
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);
        foreach (var path in new[] { "/api/migrations/orders/weight", "/api/migrations/orders/rollback", "/api/apply", "/api/results" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { weight = 100, config = server.ConfigText() }) };
            request.Headers.TryAddWithoutValidation(header, value);

            using var response = await server.Admin.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        var orders = await server.MigrationAsync("orders");
        Assert.Equal(("canary", 10.0), (orders.Mode, orders.Weight));
    }

    [Theory]
    [InlineData("GET", "/api/migrations")]
    [InlineData("POST", "/api/migrations/orders/weight")]
    public async Task Request_NamingAnotherHost_AsADnsRebindingPageWould_IsRefused(string method, string path)
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Host = $"evil.example:{server.Host.AdminAddress.Port}";
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { weight = 100 });
        }

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("names host 'evil.example:", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10.0, (await server.MigrationAsync("orders")).Weight);
    }

    [Fact]
    public async Task Request_NamingLocalhostOrTheSameOrigin_IsServed()
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);
        var port = server.Host.AdminAddress.Port;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/migrations/orders/weight") { Content = JsonContent.Create(new { weight = 30 }) };
        request.Headers.Host = $"localhost:{port}";
        request.Headers.Add("Origin", $"http://localhost:{port}");

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30.0, (await server.MigrationAsync("orders")).Weight);
    }

    [Fact]
    public async Task Change_WithoutTokens_IsAuditedAsLocal_WithTheClaimedActorOnlyOnBehalfOf()
    {
        await using var server = await ProxyUnderTest.StartAsync(TokenFixture.Migrations);

        await server.PostAsync("orders", "weight", new { weight = 40, actor = "cutover", reason = "posing as the orchestrator" });
        await server.PostAsync("orders", "rollback", new { reason = "no actor given" });

        var audit = await server.Admin.GetFromJsonAsync<List<AuditEntry>>("/api/audit?migration=orders&limit=2");
        Assert.Equal(["local", "local (on behalf of cutover)"], audit!.Select(a => a.Actor));
    }
}
