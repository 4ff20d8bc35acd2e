using System.Net;
using System.Text;
using Cutover.Server.Forwarding;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Server.Tests.Forwarding;

/// <summary>
/// A backend over HTTP/2 that breaks off a request while its body is still coming: the user gets
/// a 502 naming the side and what it did, the side an error, and with <c>failover</c> legacy
/// answers the whole request instead. When the break cancels the forwarder's read of the user's
/// body, the forwarder puts the blame on the user; <see cref="ForwarderErrors.Blame"/> puts it back.
/// </summary>
public sealed class BackendBreaksOffBodyTests
{
    private const string H2cListener = "listenProtocol: h2c";

    [Fact]
    public async Task CandidateResetsMidBody_UserGets502NamingTheCandidateAndItCountsAsItsError()
    {
        await using var legacy = await TestBackend.StartAsync("legacy");
        await using var candidate = await ResettingBackend.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url), topLevel: H2cListener);
        var body = new SlowBody();

        var sending = PostOverHttp2Async(proxy, body);
        await candidate.FirstBytesRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
        body.SendTheRest();
        using var response = await sending;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("Migration 'orders': the candidate backend broke off the request (HTTP/2 error code 2).", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 1L), (view.Stats.Candidate.Requests, view.Stats.Candidate.Errors));
    }

    [Fact]
    public async Task CandidateResetsMidBody_WithFailover_LegacyAnswersTheWholeRequest()
    {
        await using var legacy = await ScriptedBackend.StartAsync(context => context.Response.WriteAsync("stored by legacy"));
        await using var candidate = await ResettingBackend.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, candidate.Url, "failover: true"), topLevel: H2cListener);
        var body = new SlowBody();

        var sending = PostOverHttp2Async(proxy, body);
        await candidate.FirstBytesRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
        body.SendTheRest();
        using var response = await sending;

        Assert.Equal((HttpStatusCode.OK, "stored by legacy"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Equal(SlowBody.Text, Assert.Single(legacy.Seen).Body);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 1L, 1L), (view.Stats.Candidate.Requests, view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued));
    }

    [Fact]
    public void Blame_BodyReadCancelledByTheBackendsFailure_IsTheBackendsWhileTheClientIsConnected()
    {
        // What the forwarder reported when a candidate's HTTP/2 connection was cut mid-body under gRPC load.
        var cancelledRead = new AggregateException(
            new OperationCanceledException(),
            new HttpRequestException("An error occurred while sending the request.", new IOException("An error occurred when reading the request body from the client.", new OperationCanceledException())));

        Assert.Equal(ForwarderError.RequestBodyDestination, ForwarderErrors.Blame(Context(cancelledRead), ForwarderError.RequestBodyClient));
        Assert.Equal(ForwarderError.RequestBodyDestination, ForwarderErrors.Blame(Context(cancelledRead), ForwarderError.RequestBodyCanceled));
    }

    [Fact]
    public void Blame_ClientGoneOrBodyMalformed_StaysTheClients()
    {
        var malformed = new HttpRequestException("An error occurred while sending the request.", new IOException("reading the body", new Microsoft.AspNetCore.Http.BadHttpRequestException("Unexpected end of request content.")));
        using var gone = new CancellationTokenSource();
        gone.Cancel();
        var left = Context(new OperationCanceledException());
        left.RequestAborted = gone.Token;

        Assert.Equal(ForwarderError.RequestBodyClient, ForwarderErrors.Blame(Context(malformed), ForwarderError.RequestBodyClient));
        Assert.Equal(ForwarderError.RequestBodyClient, ForwarderErrors.Blame(left, ForwarderError.RequestBodyClient));
        Assert.Equal(ForwarderError.RequestCanceled, ForwarderErrors.Blame(Context(new OperationCanceledException()), ForwarderError.RequestCanceled));
    }

    private static DefaultHttpContext Context(Exception exception)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IForwarderErrorFeature>(new ForwardFailure(exception));
        return context;
    }

    private sealed record ForwardFailure(Exception Exception) : IForwarderErrorFeature
    {
        public ForwarderError Error => ForwarderError.RequestBodyClient;
    }

    /// <summary>Posts over h2c: a body the client streams reaches the backend as it is written.</summary>
    private static async Task<HttpResponseMessage> PostOverHttp2Async(ProxyUnderTest proxy, HttpContent body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(proxy.Host.DataPlaneAddress, "/orders"))
        {
            Content = body,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return await proxy.Proxy.SendAsync(request);
    }

    private static string Migration(string legacy, string candidate, string? extra = null) => $$"""
          - name: orders
            match: { pathPrefix: / }
            legacy: {{legacy}}
            candidate: { url: "{{candidate}}", protocol: h2c }
            mode: candidate
            {{extra}}
        """;

    /// <summary>
    /// A request body sent in two parts: the first at once, the rest when the test says. It is
    /// typed as gRPC, a streaming call whose every message the forwarder passes on at once; other
    /// bodies it may hold until its buffer fills or the body ends.
    /// </summary>
    private sealed class SlowBody : HttpContent
    {
        public SlowBody() => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");

        public const string First = "{\"id\": 1, ";

        public const string Rest = "\"total\": 12.5}";

        public const string Text = First + Rest;

        private readonly TaskCompletionSource _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void SendTheRest() => _rest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(First));
            await stream.FlushAsync();
            await _rest.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(Rest));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>An h2c backend that reads the first bytes of a request's body, then resets the request (RST_STREAM).</summary>
    private sealed class ResettingBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ResettingBackend(WebApplication app) => _app = app;

        public TaskCompletionSource FirstBytesRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Url => _app.Urls.First();

        public static async Task<ResettingBackend> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            var backend = new ResettingBackend(app);
            app.Run(async context =>
            {
                await context.Request.Body.ReadAtLeastAsync(new byte[64], minimumBytes: 1, throwOnEndOfStream: false);
                backend.FirstBytesRead.TrySetResult();
                await Task.Delay(100);
                context.Abort();
            });
            await app.StartAsync();
            return backend;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
