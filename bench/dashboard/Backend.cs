using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Bench.Dashboard;

/// <summary>A Kestrel backend on a loopback port answering every request with a small JSON order, so the migrations have real traffic to chart.</summary>
internal sealed class Backend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Backend(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public static async Task<Backend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync($$"""{"side":"{{name}}","order":7}""");
        });
        await app.StartAsync();
        return new Backend(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
