using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Grpc;

/// <summary>
/// A smoke step with <c>grpc</c> against a real Grpc.AspNetCore candidate over h2c: unary calls of
/// the method with an empty request, passed on <c>grpc-status</c> OK, rolled back on any other.
/// </summary>
public sealed class GrpcSmokeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SmokeStep_Grpc_CallsTheCandidatesMethodAndRollsBackUnlessItAnswersOk(bool unavailable)
    {
        await using var backends = await GrpcBackends.StartAsync();
        backends.Candidate.Unavailable = unavailable;
        const string Plan = """
                plan:
                  steps:
                    - smoke: { requests: 3, grpc: shop.v1.Orders/GetOrder }
                    - weight: 100
                    - pause: {}
            """;
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(extra: Plan), topLevel: "listenProtocol: h2c");

        await proxy.PostAsync("orders", "promote", new { force = true, reason = "blue-green" });
        var expected = unavailable ? "rolled-back" : "paused";
        for (var i = 0; i < 200 && (await proxy.MigrationAsync("orders")).Plan!.Status != expected; i++)
        {
            await Task.Delay(50);
        }

        var view = await proxy.MigrationAsync("orders");
        Assert.Equal((expected, unavailable ? "legacy" : "canary"), (view.Plan!.Status, view.Mode));
        Assert.Equal(3, backends.Candidate.Calls);
        Assert.Equal(0, backends.Legacy.Calls);
        if (unavailable)
        {
            var report = await proxy.Admin.GetFromJsonAsync<JsonElement>("/api/migrations/orders/report");
            Assert.Equal("smoke test failed: 0/3 answered OK (gRPC); first failure: grpc-status UNAVAILABLE from gRPC shop.v1.Orders/GetOrder", report.GetProperty("reason").GetString());
        }
    }
}
