using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>
/// A real Kestrel backend on a loopback port whose answers a test writes as a delegate, and which
/// remembers every request it got (method, target, body, and whether it was a shadow copy).
/// </summary>
public sealed class ScriptedBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedBackend(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public static async Task<ScriptedBackend> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var backend = new ScriptedBackend(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            backend.Seen.Enqueue(new SeenRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body,
                context.Request.Headers["X-Cutover-Shadow"] == "true", context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                context.Features.Get<IHttpRequestFeature>()!.RawTarget));
            await handler(context);
        });
        await app.StartAsync();
        return backend;
    }

    /// <summary>Answers with JSON text.</summary>
    public static Task Json(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>A request a <see cref="ScriptedBackend"/> received; Target is the decoded path and query, RawTarget the target byte for byte as it arrived.</summary>
public sealed record SeenRequest(string Method, string Target, string Body, bool IsShadowCopy, IReadOnlyDictionary<string, string> Headers, string RawTarget);
