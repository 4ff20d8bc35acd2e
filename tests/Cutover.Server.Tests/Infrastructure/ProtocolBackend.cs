using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>
/// A real Kestrel backend on a loopback port that speaks only the HTTP versions it is given
/// (HTTP/2 alone in the clear is h2c with prior knowledge), over TLS when given https options.
/// It answers with the protocol each request came in (body and X-Protocol), remembers them, and
/// at a path ending in /trailers sends a trailer after its body.
/// </summary>
public sealed class ProtocolBackend : IAsyncDisposable
{
    public const string TrailerName = "x-checksum";
    public const string TrailerValue = "c0ffee";

    private readonly WebApplication _app;

    private ProtocolBackend(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The protocol of every request it got, such as "HTTP/2" or "HTTP/1.1".</summary>
    public ConcurrentQueue<string> Protocols { get; } = new();

    /// <summary>Whether every request it got came with a client certificate.</summary>
    public ConcurrentQueue<string?> ClientCertificates { get; } = new();

    public static async Task<ProtocolBackend> StartAsync(HttpProtocols protocols, Action<HttpsConnectionAdapterOptions>? https = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            if (https is not null)
            {
                listen.UseHttps(https);
            }
        }));
        var app = builder.Build();
        var backend = new ProtocolBackend(app);
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        return backend;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var protocol = context.Request.Protocol;
        Protocols.Enqueue(protocol);
        ClientCertificates.Enqueue(context.Connection.ClientCertificate?.Subject);
        context.Response.Headers["X-Protocol"] = protocol;
        await context.Response.WriteAsync(protocol);
        if (context.Request.Path.Value?.EndsWith("/trailers", StringComparison.Ordinal) == true && context.Response.SupportsTrailers())
        {
            context.Response.AppendTrailer(TrailerName, TrailerValue);
        }
    }
}
