using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>
/// A real Kestrel backend on a loopback port that says who it is (body and X-Backend header) and
/// offers the shapes the proxy must carry: the target exactly as it arrived (X-Raw-Target), echoed headers, streamed uploads and downloads, slow
/// answers, chosen status codes and a WebSocket echo.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public string Url => _app.Urls.First();

    public int Requests => _requests;

    private int _requests;

    public static async Task<TestBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var backend = new TestBackend(app, name);
        app.UseWebSockets();
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        return backend;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        context.Response.Headers["X-Backend"] = Name;
        context.Response.Headers["X-Raw-Target"] = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = context.Request.Path.Value ?? "/";
        switch (path)
        {
            case "/ws" when context.WebSockets.IsWebSocketRequest:
                await EchoWebSocketAsync(await context.WebSockets.AcceptWebSocketAsync());
                break;
            case "/upload":
                await context.Response.WriteAsync((await DrainAsync(context.Request.Body)).ToString(CultureInfo.InvariantCulture));
                break;
            case "/download":
                await StreamBytesAsync(context, long.Parse(context.Request.Query["bytes"]!, CultureInfo.InvariantCulture));
                break;
            case "/slow":
                await Task.Delay(int.Parse(context.Request.Query["ms"]!, CultureInfo.InvariantCulture), context.RequestAborted);
                await context.Response.WriteAsync(Name);
                break;
            case "/echo-headers":
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body,
                    context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
                break;
            default:
                if (path.StartsWith("/status/", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = int.Parse(path["/status/".Length..], CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsync(Name);
                break;
        }
    }

    private static async Task<long> DrainAsync(Stream body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        return total;
    }

    private static async Task StreamBytesAsync(HttpContext context, long bytes)
    {
        var chunk = new byte[64 * 1024];
        context.Response.ContentLength = bytes;
        for (long sent = 0; sent < bytes; sent += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)));
        }
    }

    private static async Task EchoWebSocketAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
        }
    }
}
