using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Dashboard.Tests.Infrastructure;

/// <summary>A real Kestrel backend on a loopback port that answers every request with its name, an order number and a fresh request id as JSON, or 503 while told to fail.</summary>
public sealed class SideBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private volatile bool _fails;

    private SideBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public string Url => _app.Urls.First();

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>While set, every answer is a 503.</summary>
    public bool Fails
    {
        get => _fails;
        set => _fails = value;
    }

    public static async Task<SideBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new SideBackend(app, name);
        app.Run(context =>
        {
            Interlocked.Increment(ref backend._requests);
            if (backend._fails)
            {
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }

            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync($$"""{"side":"{{name}}","order":7,"requestId":"{{Guid.NewGuid()}}"}""");
        });
        await app.StartAsync();
        return backend;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
