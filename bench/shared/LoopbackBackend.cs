using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Bench;

/// <summary>
/// A Kestrel backend on a free loopback port that answers every request the same way, for the
/// benchmarks that start Cutover in process and need real sides behind it; compiled into each
/// benchmark that links it (the benchmarks are separate projects outside Cutover.slnx).
/// </summary>
internal sealed class LoopbackBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackBackend(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public static async Task<LoopbackBackend> StartAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(answer);
        await app.StartAsync();
        return new LoopbackBackend(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
