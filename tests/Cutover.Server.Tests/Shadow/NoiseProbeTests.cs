using System.Globalization;
using Cutover.Server.Admin;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Tests.Shadow;

/// <summary>Diffy's noise cancellation: paths that differ between two legacy answers are learned per endpoint and not reported.</summary>
public sealed class NoiseProbeTests
{
    private static int _counter;

    /// <summary>Both sides stamp every answer with a fresh request id, time and ETag; the candidate also renames order 3.</summary>
    private static Func<HttpContext, Task> Orders(bool candidate) => context =>
    {
        var id = int.Parse(context.Request.Path.Value!.Split('/')[^1], CultureInfo.InvariantCulture);
        var tick = Interlocked.Increment(ref _counter);
        context.Response.Headers.ETag = $"\"{Guid.NewGuid():N}\"";
        var name = candidate && id == 3 ? "Renamed" : "Widget";
        return ScriptedBackend.Json(context,
            $$"""{"id":{{id}},"name":"{{name}}","requestId":"{{Guid.NewGuid()}}","meta":{"servedAt":{{tick}}},"lines":[{"n":1,"trace":"{{Guid.NewGuid()}}"},{"n":2,"trace":"{{Guid.NewGuid()}}"}]}""");
    };

    [Fact]
    public async Task WithoutProbe_NoiseIsReportedAsDivergence()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Orders(candidate: false));
        await using var candidate = await ScriptedBackend.StartAsync(Orders(candidate: true));
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));

        for (var id = 1; id <= 5; id++)
        {
            (await proxy.Proxy.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();
        }

        var view = await ShadowHarness.SettledAsync(proxy, 5);

        Assert.Equal(5, view.Shadow.Divergent);
        var endpoint = Assert.Single(view.Endpoints);
        Assert.Contains(endpoint.Paths, p => p.Path == "$.requestId" && p.Count == 5);
        Assert.Contains(endpoint.Paths, p => p.Path == "$.lines[*].trace" && p.Count == 5);
        Assert.Empty(endpoint.Noise);
        Assert.Equal(5, legacy.Seen.Count);
    }

    [Fact]
    public async Task WithProbe_NoiseIsLearnedPerEndpoint_ExcludedAndShown_WhileRealChangesAreStillFound()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Orders(candidate: false));
        await using var candidate = await ScriptedBackend.StartAsync(Orders(candidate: true));
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, """
            shadow: { noiseProbe: true }
            compare: { headers: [Content-Type, ETag] }
            """));

        for (var id = 1; id <= 5; id++)
        {
            (await proxy.Proxy.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();
        }

        var view = await ShadowHarness.SettledAsync(proxy, 5);

        Assert.Equal(10, legacy.Seen.Count);
        Assert.Equal(5, legacy.Seen.Count(s => s.IsShadowCopy));
        Assert.Equal(1, view.Shadow.Divergent);
        var endpoint = Assert.Single(view.Endpoints);
        var path = Assert.Single(endpoint.Paths);
        Assert.Equal("$.name", path.Path);
        Assert.Equal(["$.lines[*].trace", "$.meta.servedAt", "$.requestId", "header:ETag"], endpoint.Noise.Select(n => n.Path));
        Assert.All(endpoint.Noise, n => Assert.Equal("GET /orders/{id}", n.Endpoint));

        var sample = view.Sample!;
        Assert.Equal("/orders/3", sample.Request!.Target);
        Assert.Equal("$.name", Assert.Single(sample.Differences).Path);
    }

    [Fact]
    public async Task LearnedNoise_SurvivesARestart()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Orders(candidate: false));
        await using var candidate = await ScriptedBackend.StartAsync(Orders(candidate: false));
        var probing = ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { noiseProbe: true }");
        var proxy = await ProxyUnderTest.StartAsync(probing);
        try
        {
            // One probed request teaches the endpoint's noise; a probe that failed on a loaded
            // machine teaches nothing, so up to three are sent (what is tested is the restart).
            DivergencesView learned;
            var sent = 0;
            do
            {
                (await proxy.Proxy.GetAsync($"/orders/{++sent}")).EnsureSuccessStatusCode();
                learned = await ShadowHarness.SettledAsync(proxy, sent);
            }
            while (Assert.Single(learned.Endpoints).Noise.Count == 0 && sent < 3);

            Assert.Contains(Assert.Single(learned.Endpoints).Noise, n => n.Path == "$.requestId");

            proxy = await proxy.RestartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));
            for (var id = 1; id <= 3; id++)
            {
                (await proxy.Proxy.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();
            }

            var view = await ShadowHarness.SettledAsync(proxy, 3);
            Assert.Equal(0, view.Shadow.Divergent);
            Assert.Equal(3, view.Shadow.Equal);
        }
        finally
        {
            await proxy.DisposeAsync();
        }
    }
}
