using System.Net.Http.Json;
using Cutover.Core.Configuration;
using Cutover.Server.Admin;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>
/// A real Cutover (data plane and admin API on loopback ports, SQLite store in a temp folder)
/// started from YAML, with clients for both sides. Restartable on the same store.
/// </summary>
public sealed class ProxyUnderTest : IAsyncDisposable
{
    private readonly bool _ownsFolder;
    private readonly string? _topLevel;
    private readonly string? _fallback;
    private bool _stopped;

    private ProxyUnderTest(CutoverHost host, string folder, string yaml, string? fallback, string? topLevel, bool ownsFolder = true)
    {
        _ownsFolder = ownsFolder;
        _fallback = fallback;
        _topLevel = topLevel;
        Host = host;
        Folder = folder;
        Yaml = yaml;
        Proxy = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.DataPlaneAddress };
        Admin = new HttpClient { BaseAddress = host.AdminAddress };
    }

    public CutoverHost Host { get; }

    public string Folder { get; }

    public string Yaml { get; }

    public HttpClient Proxy { get; }

    public HttpClient Admin { get; }

    /// <summary>
    /// Starts Cutover on <paramref name="migrationsYaml"/> (the items of the migrations list) in a fresh folder;
    /// <paramref name="topLevel"/> is more of the file, unindented (such as a <c>notifications</c> section).
    /// </summary>
    public static Task<ProxyUnderTest> StartAsync(string migrationsYaml, string? fallback = null, CutoverHostOptions? options = null, string? store = null, string? topLevel = null) =>
        StartInAsync(Directory.CreateTempSubdirectory("cutover-test-").FullName, migrationsYaml, fallback, options, store: store, topLevel: topLevel);

    /// <summary>Starts a second Cutover on the same config and store, as another replica would run.</summary>
    public Task<ProxyUnderTest> StartReplicaAsync(CutoverHostOptions options) =>
        StartInAsync(Folder, Yaml, fallback: null, options, ownsFolder: false, Store, _topLevel);

    /// <summary>The store location this instance runs on.</summary>
    public string Store => Host.Runtime.Definition.Store;

    /// <summary>Stops this instance and starts a new one on the same folder (and so the same store) and config.</summary>
    public async Task<ProxyUnderTest> RestartAsync(string? migrationsYaml = null, CutoverHostOptions? options = null, Action? whileStopped = null)
    {
        await StopAsync();
        whileStopped?.Invoke();
        return await StartInAsync(Folder, migrationsYaml ?? Yaml, fallback: null, options: options, store: Store, topLevel: _topLevel);
    }

    /// <summary>
    /// The config file this instance runs on, as text; with <paramref name="migrationsYaml"/> its
    /// migrations are replaced, which makes a file for <c>cutover apply</c> that differs only there.
    /// </summary>
    public string ConfigText(string? migrationsYaml = null) => Compose(migrationsYaml ?? Yaml, Store, _fallback, _topLevel);

    /// <summary>Applies a config file's text through the admin API, as <c>cutover apply -f test.yaml</c> does.</summary>
    public Task<HttpResponseMessage> ApplyAsync(string config, bool dryRun = false, string? reason = null, string? actor = null) =>
        Admin.PostAsJsonAsync("/api/apply", new ApplyRequest(config, "test.yaml", reason, actor, dryRun));

    public async Task<MigrationView> MigrationAsync(string name) =>
        (await Admin.GetFromJsonAsync<MigrationView>($"/api/migrations/{name}"))!;

    public async Task<MigrationView> PostAsync(string name, string action, object body)
    {
        var response = await Admin.PostAsJsonAsync($"/api/migrations/{name}/{action}", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MigrationView>())!;
    }

    /// <summary>Sends a request as a user (X-User-Id) and returns which backend answered.</summary>
    public async Task<string> SideOfAsync(string user, string path = "/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-User-Id", user);
        using var response = await Proxy.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsFolder)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>Stops this instance, leaving its folder and store to a replica still running on them; disposing it later only removes the folder.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Proxy.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
    }

    private static async Task<ProxyUnderTest> StartInAsync(
        string folder, string migrationsYaml, string? fallback, CutoverHostOptions? options = null, bool ownsFolder = true, string? store = null, string? topLevel = null)
    {
        var yaml = Compose(migrationsYaml, store ?? "sqlite:" + Path.Combine(folder, "cutover.db"), fallback, topLevel);
        var definition = ConfigLoader.Load(yaml, "test.yaml");
        var host = await CutoverHost.StartAsync(definition, options ?? new CutoverHostOptions { LogLevel = LogLevel.Warning });
        return new ProxyUnderTest(host, folder, migrationsYaml, fallback, topLevel, ownsFolder);
    }

    private static string Compose(string migrationsYaml, string store, string? fallback, string? topLevel) => $"""
        listen: http://127.0.0.1:0
        admin: http://127.0.0.1:0
        store: "{store}"
        {(fallback is null ? string.Empty : "fallback: " + fallback)}
        {topLevel ?? string.Empty}
        migrations:
        {migrationsYaml}
        """;
}
