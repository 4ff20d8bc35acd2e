using System.Collections.Concurrent;
using System.Net.Http.Json;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Server.Tests.Shadow;
using Cutover.Testing.Shop;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cutover.Server.Tests.Grpc;

/// <summary>
/// gRPC through Cutover end to end: real Grpc.AspNetCore legacy and candidate services over h2c,
/// a Grpc.Net.Client client through Cutover's h2c listener, every call shape in every mode.
/// </summary>
public sealed class GrpcThroughCutoverTests
{
    private const string H2cListener = "listenProtocol: h2c";

    [Theory]
    [InlineData("legacy", "legacy")]
    [InlineData("candidate", "candidate")]
    public async Task EveryCallShape_ModeSendsAll_ServedByThatSide(string mode, string side)
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode), topLevel: H2cListener);
        using var channel = Channel(proxy);

        Assert.Equal([side, side, side, side], await SidesOfEveryShapeAsync(new Orders.OrdersClient(channel), user: "u-1"));
    }

    [Fact]
    public async Task EveryCallShape_Canary_StickyByTheUserIdMetadata()
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("canary", weight: 50), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);

        var sides = new HashSet<string>();
        for (var user = 0; user < 30; user++)
        {
            var ofUser = await SidesOfEveryShapeAsync(client, $"user-{user}");
            Assert.Single(ofUser.Distinct());
            sides.Add(ofUser[0]);
        }

        Assert.Equal(["candidate", "legacy"], sides.Order());
    }

    [Fact]
    public async Task WeightChangesAndRollback_UnderLoad_NoCallFails()
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("canary", weight: 0), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);
        var load = new CallLoad(async (user, _) => await SidesOfEveryShapeAsync(client, user));

        foreach (var weight in new[] { 10, 25, 50, 100 })
        {
            await Task.Delay(300);
            await proxy.PostAsync("orders", "weight", new { weight, reason = "step up" });
        }

        await Task.Delay(300);
        await proxy.PostAsync("orders", "rollback", new { reason = "p99 doubled" });
        await Task.Delay(300);
        var candidateBefore = backends.Candidate.Calls;
        await Task.Delay(300);
        await load.StopAsync();

        Assert.Empty(load.Failures);
        Assert.True(load.Of("legacy") > 100 && load.Of("candidate") > 100, $"served: {string.Join(", ", load.Served)}");
        Assert.Equal(candidateBefore, backends.Candidate.Calls);
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal(0, view.Stats.Legacy.Errors + view.Stats.Candidate.Errors);
    }

    [Fact]
    public async Task GrpcStatus_DefaultPolicy_CountsUnavailableNotNotFound()
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("candidate"), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => client.GetOrderAsync(new GetOrderRequest { Id = "fail-unavailable" }).ResponseAsync)).StatusCode);
        }

        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => client.GetOrderAsync(new GetOrderRequest { Id = "missing" }).ResponseAsync)).StatusCode);
        await client.GetOrderAsync(new GetOrderRequest { Id = "o-1" });

        var view = await proxy.MigrationAsync("orders");
        Assert.Equal(5, view.Stats.Candidate.Requests);
        Assert.Equal(3, view.Stats.Candidate.Errors);
    }

    [Fact]
    public async Task GrpcStatus_ListedInErrors_CountsThoseOnly()
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("candidate", extra: "    errors: { grpcStatuses: [NOT_FOUND] }"), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);

        await Assert.ThrowsAsync<RpcException>(() => client.GetOrderAsync(new GetOrderRequest { Id = "fail-unavailable" }).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => client.GetOrderAsync(new GetOrderRequest { Id = "missing" }).ResponseAsync);

        var view = await proxy.MigrationAsync("orders");
        Assert.Equal(1, view.Stats.Candidate.Errors);
    }

    [Fact]
    public async Task Failover_CandidateAnswersUnavailable_LegacyServesTheCallAndItCountsAsRescued()
    {
        await using var backends = await GrpcBackends.StartAsync();
        backends.Candidate.Unavailable = true;
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("candidate", extra: "    failover: { grpcUnavailable: true }"), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);

        var order = await client.GetOrderAsync(new GetOrderRequest { Id = "o-3" });

        Assert.Equal(("legacy", "o-3"), (order.Note, order.Id));
        Assert.Equal((1, 1), (backends.Candidate.Calls, backends.Legacy.Calls));
        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((1L, 1L), (view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued));
        var window = (await proxy.Admin.GetFromJsonAsync<MetricsView>("/api/migrations/orders/metrics?window=1m"))!;
        Assert.Equal((1L, 1L, null), (window.Candidate.Errors, window.Candidate.Rescued, window.Legacy.Rescued));
        Assert.Equal(1L, window.Buckets.Sum(b => b.Candidate.Rescued));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("{ grpcUnavailable: true }")]
    public async Task Failover_HealthyCandidate_ServesEveryCallShapeAndNothingIsReplayed(string failover)
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("candidate", extra: $"    failover: {failover}"), topLevel: H2cListener);
        using var channel = Channel(proxy);

        var sides = await SidesOfEveryShapeAsync(new Orders.OrdersClient(channel), user: "u-1");

        var view = await proxy.MigrationAsync("orders");
        Assert.Equal(["candidate", "candidate", "candidate", "candidate"], sides);
        Assert.Equal((4L, 0L, 0L, 0), (view.Stats.Candidate.Requests, view.Stats.Candidate.Errors, view.Stats.Candidate.Rescued ?? -1, backends.Legacy.Calls));
    }

    [Fact]
    public async Task Failover_CandidateKilledMidCanaryUnderLoad_NoCallFails()
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("canary", weight: 50, extra: "    failover: true"), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);
        var load = new CallLoad(async (user, call) => [(await client.GetOrderAsync(new GetOrderRequest { Id = $"o-{call}" }, new Metadata { { "x-user-id", user } })).Note]);

        await Until(() => load.Of("candidate") >= 50, "the candidate serves 50 calls");
        await backends.Candidate.KillAsync();
        var servedBeforeStop = load.Of("legacy") + load.Of("candidate");
        await Until(() => load.Of("legacy") + load.Of("candidate") >= servedBeforeStop + 200, "200 more calls are served");
        await load.StopAsync();

        var view = await proxy.MigrationAsync("orders");
        Assert.True(load.Failures.IsEmpty, string.Join("\n", load.Failures));
        Assert.True(view.Stats.Candidate.Rescued > 0, $"rescued {view.Stats.Candidate.Rescued}");
        Assert.Equal(view.Stats.Candidate.Rescued, view.Stats.Candidate.Errors);
    }

    [Fact]
    public async Task Shadow_UnaryCallAnsweredDifferently_DivergenceNamesTheFieldWithDecodedMessages()
    {
        await using var backends = await GrpcBackends.StartAsync();
        backends.Candidate.Total = 12.0;
        var shadow = $"""
                shadow: {"{"} methods: [POST] {"}"}
                compare: {"{"} descriptorSet: "{GrpcBackends.DescriptorSetFile}" {"}"}
            """;
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("shadow", extra: shadow), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);

        var order = await client.GetOrderAsync(new GetOrderRequest { Id = "o-7" });
        var view = await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal("legacy", order.Note);
        Assert.Equal(1, view.Shadow.Divergent);
        var sample = view.Sample!;
        Assert.Equal("$.total", sample.Path);
        Assert.Equal("POST /shop.v1.Orders/GetOrder", sample.Endpoint);
        Assert.Contains("\"total\":12.5", sample.Legacy.Body, StringComparison.Ordinal);
        Assert.Contains("\"total\":12,", sample.Candidate.Body, StringComparison.Ordinal);
        Assert.Contains("\"note\":\"candidate\"", sample.Candidate.Body, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"o-7\"", sample.Request!.Body, StringComparison.Ordinal);
        Assert.Contains(sample.Differences, d => d.Path == "$.note");
    }

    [Fact]
    public async Task Shadow_StreamingCalls_ServedAndNotMirrored()
    {
        await using var backends = await GrpcBackends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration("shadow", extra: "    shadow: { methods: [POST] }"), topLevel: H2cListener);
        using var channel = Channel(proxy);
        var client = new Orders.OrdersClient(channel);

        var sides = await SidesOfEveryShapeAsync(client, "u-1");
        var view = await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal(["legacy", "legacy", "legacy", "legacy"], sides);
        Assert.Equal(1, view.Shadow.Mirrored);
        Assert.Equal(3, view.Shadow.Skipped);
        Assert.Equal(1, view.Shadow.Equal + view.Shadow.Divergent);
        Assert.Equal(1, backends.Candidate.Calls);
    }

    private static GrpcChannel Channel(ProxyUnderTest proxy) => GrpcChannel.ForAddress(proxy.Host.DataPlaneAddress);

    /// <summary>Which side served a unary, a server-streaming, a client-streaming and a bidirectional call of one user.</summary>
    private static async Task<string[]> SidesOfEveryShapeAsync(Orders.OrdersClient client, string user)
    {
        var headers = new Metadata { { "x-user-id", user } };
        var unary = await client.GetOrderAsync(new GetOrderRequest { Id = "o-1" }, headers);

        using var list = client.ListOrders(new ListOrdersRequest { Count = 3 }, headers);
        var listed = new List<Order>();
        await foreach (var order in list.ResponseStream.ReadAllAsync())
        {
            listed.Add(order);
        }

        Assert.Equal(3, listed.Count);

        using var upload = client.UploadOrders(headers);
        await upload.RequestStream.WriteAsync(new Order { Total = 1 });
        await upload.RequestStream.WriteAsync(new Order { Total = 2 });
        await upload.RequestStream.CompleteAsync();
        var summary = await upload;
        Assert.Equal(2, summary.Count);
        var uploadSide = upload.GetTrailers().GetValue("x-side");

        using var chat = client.Chat(headers);
        await chat.RequestStream.WriteAsync(new ChatMessage { Text = "hi" });
        Assert.True(await chat.ResponseStream.MoveNext(CancellationToken.None));
        var reply = chat.ResponseStream.Current.Text;
        await chat.RequestStream.WriteAsync(new ChatMessage { Text = "again" });
        Assert.True(await chat.ResponseStream.MoveNext(CancellationToken.None));
        await chat.RequestStream.CompleteAsync();
        Assert.False(await chat.ResponseStream.MoveNext(CancellationToken.None));

        return [unary.Note, listed[0].Note, uploadSide!, reply.Split(':')[0]];
    }

    /// <summary>Waits up to 20 s for the load to reach a point; the calls take what the machine gives them.</summary>
    private static async Task Until(Func<bool> reached, string what)
    {
        for (var waited = 0; !reached(); waited += 20)
        {
            Assert.True(waited < 20_000, $"waited 20 s for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Eight workers calling through the proxy until stopped, each as a few users of its own, counting the side that served every call and every call that failed.</summary>
    private sealed class CallLoad
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _workers;

        /// <param name="call">One call (or several) as a user, by the worker's call number; the sides that served it.</param>
        public CallLoad(Func<string, int, Task<IEnumerable<string>>> call) => _workers =
        [
            .. Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var n = 0; !_stop.IsCancellationRequested; n++)
                {
                    try
                    {
                        foreach (var side in await call($"w{worker}-{n % 50}", n))
                        {
                            Served.AddOrUpdate(side, 1, (_, count) => count + 1);
                        }
                    }
                    catch (RpcException e)
                    {
                        Failures.Enqueue($"worker {worker}: {e.Status}");
                    }
                }
            })),
        ];

        public ConcurrentQueue<string> Failures { get; } = new();

        public ConcurrentDictionary<string, int> Served { get; } = new();

        /// <summary>Calls served by a side so far.</summary>
        public int Of(string side) => Served.GetValueOrDefault(side);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers);
            _stop.Dispose();
        }
    }
}
