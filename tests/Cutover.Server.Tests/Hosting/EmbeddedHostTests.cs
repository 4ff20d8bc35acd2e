using System.Net;
using System.Net.Http.Json;
using Cutover.Core.Security;
using Cutover.Server.Admin;
using Cutover.Server.Forwarding;
using Cutover.Server.Hosting;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Server.Tests.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Hosting;

/// <summary>
/// Cutover hosted inside a team's own ASP.NET Core app: <c>AddCutover</c> on a plain
/// <see cref="WebApplication"/>, the admin API under a route group and the proxy on the app's
/// pipeline, with the app's own endpoints still its own.
/// </summary>
public sealed class EmbeddedHostTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-embedded-").FullName;
    private Backends _backends = null!;

    public async Task InitializeAsync() => _backends = await Backends.StartAsync();

    public async Task DisposeAsync()
    {
        await _backends.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AddCutover_PlainWebApplication_ProxiesAndMovesTrafficWhenTheAdminApiSetsTheWeight()
    {
        await using var app = await StartAppAsync(adminAuth: null);
        using var client = new HttpClient { BaseAddress = Address(app) };

        var migrations = await client.GetFromJsonAsync<List<MigrationView>>("/cutover/api/migrations");
        Assert.Equal([("orders", 0.0)], migrations!.Select(m => (m.Name, m.Weight.Percent)));
        Assert.Equal(["legacy"], await SidesAsync(client));
        using var weight = await client.PostAsJsonAsync("/cutover/api/migrations/orders/weight", new { weight = 100, reason = "embedded" });
        Assert.Equal(HttpStatusCode.OK, weight.StatusCode);
        Assert.Equal(100, (await weight.Content.ReadFromJsonAsync<MigrationView>())!.Weight.Percent);

        Assert.Equal(["candidate"], await SidesAsync(client));
        Assert.Equal("the app's own", await client.GetStringAsync("/app/hello"));
        Assert.Equal(20, _backends.Legacy.Requests + _backends.Candidate.Requests);
        await app.StopAsync();
    }

    [Fact]
    public async Task MapCutoverAdmin_EmbeddedWithTokens_RefusesAChangeWithoutATokenAndTakesOneWithIt()
    {
        var tokens = await TokenFixture.IssueAsync(Store, new TokenRequest("deployer", AdminRole.Operator, null, null));
        await using var app = await StartAppAsync(adminAuth: "tokens");
        using var client = new HttpClient { BaseAddress = Address(app) };

        using var anonymous = await client.SendAsync(TokenFixture.Request(HttpMethod.Post, "/cutover/api/migrations/orders/weight", null, """{"weight": 100}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(["legacy"], await SidesAsync(client));

        using var operatorCall = await client.SendAsync(TokenFixture.Request(HttpMethod.Post, "/cutover/api/migrations/orders/weight", tokens["deployer"], """{"weight": 100}"""));
        Assert.Equal(HttpStatusCode.OK, operatorCall.StatusCode);
        Assert.Equal(["candidate"], await SidesAsync(client));
        await app.StopAsync();
    }

    [Fact]
    public void MapCutoverAdmin_WithoutAddCutover_FailsNamingAddCutover()
    {
        var builder = WebApplication.CreateSlimBuilder();
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapCutoverAdmin());

        Assert.Contains("call services.AddCutover(...) first", error.Message, StringComparison.Ordinal);
    }

    private string Store => "sqlite:" + Path.Combine(_folder, "cutover.db");

    /// <summary>A plain app on a loopback port: its own endpoint, the admin API under <c>/cutover</c>, and the proxy for everything else.</summary>
    private async Task<WebApplication> StartAppAsync(string? adminAuth)
    {
        var config = Path.Combine(_folder, "cutover.yaml");
        await File.WriteAllTextAsync(config, $"""
            store: "{Store}"
            {(adminAuth is null ? string.Empty : "adminAuth: " + adminAuth)}
            migrations:
            {_backends.Migration(mode: "canary", weight: 0)}
            """);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddCutover(config, options => options.LogLevel = LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/app/hello", () => "the app's own");
        app.MapGroup("/cutover").MapCutoverAdmin();
        app.MapCutoverDataPlane();
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) => new(app.Urls.First());

    /// <summary>The distinct backends that answered ten users through the app.</summary>
    private static async Task<string[]> SidesAsync(HttpClient client)
    {
        var sides = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("X-User-Id", "user-" + i);
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            sides.Add(await response.Content.ReadAsStringAsync());
        }

        return [.. sides.Distinct()];
    }
}
