using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests;

/// <summary>A tiny real HTTP backend on a random loopback port, so tests proxy to something that answers like a service would.</summary>
internal static class LoopbackBackend
{
    /// <summary>A started backend answering every request with <paramref name="answer"/>; its address is in <c>Urls</c>.</summary>
    /// <param name="answer">What it answers.</param>
    /// <param name="kestrel">Settings of its Kestrel, for a backend that must answer as other servers may (such as header bytes beyond ASCII).</param>
    public static async Task<WebApplication> StartAsync(RequestDelegate answer, Action<KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (kestrel is not null)
        {
            builder.WebHost.ConfigureKestrel(kestrel);
        }

        var backend = builder.Build();
        backend.Run(answer);
        await backend.StartAsync();
        return backend;
    }

    /// <summary>A backend answering every request with <paramref name="json"/> as <c>application/json</c>.</summary>
    public static Task<WebApplication> JsonAsync(string json) => StartAsync(context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    });
}
