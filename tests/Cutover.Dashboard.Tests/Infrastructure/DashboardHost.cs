using System.Net.Http.Json;
using Cutover.Core.Configuration;
using Cutover.Core.Security;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.Extensions.Logging;

namespace Cutover.Dashboard.Tests.Infrastructure;

/// <summary>
/// A real Cutover (data plane and admin listener on loopback ports, SQLite store in a temp folder)
/// in front of two real backends, legacy and candidate, for the dashboard to show. With tokens,
/// the store holds the tokens asked for before Cutover starts, as <c>cutover token create --store</c> makes them.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    private readonly string _folder;
    private int _user;

    private DashboardHost(CutoverHost host, SideBackend legacy, SideBackend candidate, string folder, IReadOnlyDictionary<string, string> tokens)
    {
        Host = host;
        Legacy = legacy;
        Candidate = candidate;
        _folder = folder;
        Tokens = tokens;
        Proxy = new HttpClient { BaseAddress = host.DataPlaneAddress };
        Admin = new HttpClient { BaseAddress = host.AdminAddress };
    }

    public CutoverHost Host { get; }

    public SideBackend Legacy { get; }

    public SideBackend Candidate { get; }

    /// <summary>The tokens made before the start, by name.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; }

    public HttpClient Proxy { get; }

    /// <summary>The admin API, with no token.</summary>
    public HttpClient Admin { get; }

    /// <summary>The store location Cutover runs on, for a backfill job run against it.</summary>
    public string Store => Host.Runtime.Definition.Store;

    /// <summary>The folder of the store, removed on dispose; a test may keep its own files there.</summary>
    public string Folder => _folder;

    /// <summary>The dashboard's address.</summary>
    public Uri Dashboard => Host.AdminAddress;

    /// <summary>
    /// Starts Cutover with the migration "orders" (in <paramref name="mode"/> at <paramref name="weight"/>, sticky by
    /// X-User-Id) and <paramref name="more"/> (YAML at the migration's level, such as a plan), and
    /// a migration "billing" in another group, and <paramref name="bulk"/> more in group bulk; with
    /// <c>adminAuth: tokens</c> when <paramref name="tokens"/> are given.
    /// </summary>
    public static async Task<DashboardHost> StartAsync(
        double weight = 10, string? more = null, TokenRequest[]? tokens = null, CutoverHostOptions? options = null, string mode = "canary", int bulk = 0)
    {
        var folder = Directory.CreateTempSubdirectory("cutover-dashboard-").FullName;
        var store = "sqlite:" + Path.Combine(folder, "cutover.db");
        var legacy = await SideBackend.StartAsync("legacy");
        var candidate = await SideBackend.StartAsync("candidate");
        var issued = tokens is null ? new Dictionary<string, string>() : await IssueAsync(store, tokens);
        var yaml = $"""
            listen: http://127.0.0.1:0
            admin: http://127.0.0.1:0
            store: "{store}"
            {(tokens is null ? string.Empty : "adminAuth: tokens")}
            migrations:
              - name: orders
                group: shop
                priority: high
                match: {"{"} pathPrefix: /orders {"}"}
                legacy: {legacy.Url}
                candidate: {candidate.Url}
                mode: {mode}
                weight: {weight}
                stickyBy: header:X-User-Id
            {Indent(more ?? string.Empty, 4)}
              - name: billing
                group: finance
                match: {"{"} pathPrefix: /billing {"}"}
                legacy: {legacy.Url}
                candidate: {candidate.Url}
                mode: legacy
            {string.Join('\n', Enumerable.Range(1, bulk).Select(i => Bulk(i, legacy.Url, candidate.Url)))}
            """;
        var host = await CutoverHost.StartAsync(ConfigLoader.Load(yaml, "dashboard-test.yaml"), options ?? new CutoverHostOptions { LogLevel = LogLevel.Warning });
        return new DashboardHost(host, legacy, candidate, folder, issued);
    }

    /// <summary>Sends <paramref name="requests"/> requests to orders, each from a new user; returns how many each side answered (a failed answer counts as legacy's).</summary>
    public async Task<(int Legacy, int Candidate)> SendTrafficAsync(int requests)
    {
        var (legacy, candidate) = (0, 0);
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{i}");
            request.Headers.Add("X-User-Id", $"user-{Interlocked.Increment(ref _user)}");
            using var response = await Proxy.SendAsync(request);
            if ((await response.Content.ReadAsStringAsync()).Contains("candidate", StringComparison.Ordinal))
            {
                candidate++;
            }
            else
            {
                legacy++;
            }
        }

        return (legacy, candidate);
    }

    /// <summary>A request to the admin API with a bearer token (none when null) and, for a change, a JSON body.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await Admin.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Proxy.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
        await Candidate.DisposeAsync();
        await Legacy.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<Dictionary<string, string>> IssueAsync(string location, TokenRequest[] requests)
    {
        await using var store = ControlStoreFactory.CreateTokenStore(location, TimeProvider.System);
        await store.InitializeAsync();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var issued = await TokenIssuer.IssueAsync(store, request, "test", string.Empty, TimeProvider.System.GetUtcNow(), CancellationToken.None);
            tokens[request.Name] = issued!.Value.Token;
        }

        return tokens;
    }

    /// <summary>One more migration for a fleet of many: bulk-N on /bulk-N, in legacy mode, in group bulk, as an item of the migrations list.</summary>
    private static string Bulk(int index, string legacy, string candidate) =>
        $"  - {{ name: bulk-{index:000}, group: bulk, match: {{ pathPrefix: /bulk-{index:000} }}, legacy: {legacy}, candidate: {candidate}, mode: legacy }}";

    private static string Indent(string yaml, int spaces) => string.Join('\n', yaml.Split('\n').Select(l => new string(' ', spaces) + l));
}
