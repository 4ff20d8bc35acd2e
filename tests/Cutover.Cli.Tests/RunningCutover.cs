using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests;

/// <summary>A real Cutover on loopback over real backends; by default one migration "orders" in canary at 10%.</summary>
internal sealed class RunningCutover : IAsyncDisposable
{
    private readonly IReadOnlyList<WebApplication> _backends;
    private readonly string _folder;

    private RunningCutover(IReadOnlyList<WebApplication> backends, CutoverHost host, string folder, string config)
    {
        _backends = backends;
        Host = host;
        _folder = folder;
        Config = config;
    }

    public CutoverHost Host { get; }

    /// <summary>The config file's text Cutover runs on.</summary>
    public string Config { get; }

    /// <summary>A folder of this instance's own, removed with it, for files a test writes.</summary>
    public string Folder => _folder;

    public string Admin => Host.AdminAddress.ToString();

    public static async Task<RunningCutover> StartAsync()
    {
        var backend = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        return await StartAsync($$"""
              - name: orders
                match: { pathPrefix: / }
                legacy: {{backend.Urls.First()}}
                candidate: {{backend.Urls.First()}}
                mode: canary
                weight: 10
            """, backend);
    }

    /// <summary>Starts Cutover with <paramref name="migrations"/> (the YAML items of its <c>migrations</c> list); it owns and stops <paramref name="backends"/>.</summary>
    public static async Task<RunningCutover> StartAsync(string migrations, params WebApplication[] backends)
    {
        var folder = Directory.CreateTempSubdirectory("cutover-cli-").FullName;
        var config = $"""
            listen: http://127.0.0.1:0
            admin: http://127.0.0.1:0
            store: sqlite:{Path.Combine(folder, "cutover.db")}
            migrations:
            {migrations}
            """;
        var host = await CutoverHost.StartAsync(ConfigLoader.Load(config, "cli-test.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Warning });
        return new RunningCutover(backends, host, folder, config);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
