using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests;

/// <summary>A real Cutover on loopback with one migration "orders" in canary at 10%, over a real backend.</summary>
internal sealed class RunningCutover : IAsyncDisposable
{
    private readonly WebApplication _backend;
    private readonly string _folder;

    private RunningCutover(WebApplication backend, CutoverHost host, string folder)
    {
        _backend = backend;
        Host = host;
        _folder = folder;
    }

    public CutoverHost Host { get; }

    public string Admin => Host.AdminAddress.ToString();

    public static async Task<RunningCutover> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var backend = builder.Build();
        backend.Run(context => context.Response.WriteAsync("ok"));
        await backend.StartAsync();
        var folder = Directory.CreateTempSubdirectory("cutover-cli-").FullName;
        var definition = ConfigLoader.Load($"""
            listen: http://127.0.0.1:0
            admin: http://127.0.0.1:0
            store: sqlite:{Path.Combine(folder, "cutover.db")}
            migrations:
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: {backend.Urls.First()}
                candidate: {backend.Urls.First()}
                mode: canary
                weight: 10
            """, "cli-test.yaml");
        var host = await CutoverHost.StartAsync(definition, new CutoverHostOptions { LogLevel = LogLevel.Warning });
        return new RunningCutover(backend, host, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _backend.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
