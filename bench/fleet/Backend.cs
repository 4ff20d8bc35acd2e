using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Bench.Fleet;

/// <summary>A Kestrel backend on a loopback port that answers every request with its side's name, so a data-plane request tells which side it reached.</summary>
internal sealed class Backend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Backend(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public static async Task<Backend> StartAsync(string side)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(side));
        await app.StartAsync();
        return new Backend(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
