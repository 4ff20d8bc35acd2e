using Cutover.Testing.Shop;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Grpc;

/// <summary>
/// A real Grpc.AspNetCore service on a loopback port, speaking h2c, that says who it is: every
/// answer carries its name (an order's note, a chat reply's text, the <c>x-side</c> trailer).
/// An order's total is <see cref="Total"/>, so a candidate can be made to differ; the id
/// <c>fail-unavailable</c> fails the call with UNAVAILABLE, <c>missing</c> with NOT_FOUND, and
/// every order call fails with UNAVAILABLE while <see cref="Unavailable"/> is set.
/// </summary>
public sealed class GrpcBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public string Url => _app.Urls.First();

    /// <summary>The total every order is answered with.</summary>
    public double Total { get; set; } = 12.5;

    /// <summary>Whether every order call is refused with UNAVAILABLE, as a service shutting down answers.</summary>
    public bool Unavailable { get; set; }

    private int _calls;

    private int _stopped;

    /// <summary>How many calls it was asked.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<GrpcBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        GrpcBackend? backend = null;
        builder.Services.AddSingleton(_ => new OrdersService(backend!));
        var app = builder.Build();
        backend = new GrpcBackend(app, name);
        app.MapGrpcService<OrdersService>();
        await app.StartAsync();
        return backend;
    }

    /// <summary>
    /// Kills the service as a crash would: every connection is cut at once, calls in flight
    /// included, with no graceful drain (Kestrel's stop with its time already up).
    /// </summary>
    public async Task KillAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await DisposeAsync();
    }

    /// <summary>Stops the service; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>The service, answering as its backend.</summary>
    private sealed class OrdersService(GrpcBackend backend) : Orders.OrdersBase
    {
        public override Task<Order> GetOrder(GetOrderRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref backend._calls);
            context.ResponseTrailers.Add("x-side", backend.Name);
            return request.Id switch
            {
                _ when backend.Unavailable => throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "shutting down")),
                "fail-unavailable" => throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "down for the test")),
                "missing" => throw new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, "no such order")),
                _ => Task.FromResult(new Order { Id = request.Id, Total = backend.Total, Note = backend.Name, Status = Cutover.Testing.Shop.Status.Open }),
            };
        }

        public override async Task ListOrders(ListOrdersRequest request, IServerStreamWriter<Order> responseStream, ServerCallContext context)
        {
            Interlocked.Increment(ref backend._calls);
            for (var i = 0; i < request.Count; i++)
            {
                await responseStream.WriteAsync(new Order { Id = $"{backend.Name}-{i}", Note = backend.Name }, context.CancellationToken);
            }
        }

        public override async Task<UploadSummary> UploadOrders(IAsyncStreamReader<Order> requestStream, ServerCallContext context)
        {
            Interlocked.Increment(ref backend._calls);
            var summary = new UploadSummary();
            await foreach (var order in requestStream.ReadAllAsync(context.CancellationToken))
            {
                summary.Count++;
                summary.Total += order.Total;
            }

            context.ResponseTrailers.Add("x-side", backend.Name);
            return summary;
        }

        public override async Task Chat(IAsyncStreamReader<ChatMessage> requestStream, IServerStreamWriter<ChatMessage> responseStream, ServerCallContext context)
        {
            Interlocked.Increment(ref backend._calls);
            await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(new ChatMessage { Text = $"{backend.Name}: {message.Text}" }, context.CancellationToken);
            }
        }
    }
}
