using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Tests.Shadow;

/// <summary>What is mirrored and what is not: writes only on purpose, bodies only within the buffer, samples only as asked.</summary>
public sealed class ShadowSafetyTests
{
    private static Task Echo(HttpContext context) =>
        ScriptedBackend.Json(context, $$"""{"method":"{{context.Request.Method}}","length":{{context.Request.ContentLength ?? -1}}}""");

    [Fact]
    public async Task Post_IsNotMirrored_ByDefault()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Echo);
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));

        using var post = await proxy.Proxy.PostAsync("/orders", new StringContent("""{"sku":"a"}""", System.Text.Encoding.UTF8, "application/json"));
        using var delete = await proxy.Proxy.DeleteAsync("/orders/1");
        (await proxy.Proxy.GetAsync("/orders/1")).EnsureSuccessStatusCode();
        var view = await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(["POST", "DELETE", "GET"], legacy.Seen.Select(s => s.Method));
        Assert.Equal(["GET"], candidate.Seen.Select(s => s.Method));
        Assert.Equal(2, view.Shadow.Skipped);
        Assert.Equal(1, view.Shadow.Mirrored);
    }

    [Fact]
    public async Task Post_IsMirrored_WithItsBody_WhenTheMigrationSaysSo()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Echo);
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { methods: [GET, POST] }"));

        using var content = new StringContent("""{"sku":"a","qty":2}""", System.Text.Encoding.UTF8, "application/json");
        using var post = await proxy.Proxy.PostAsync("/orders?source=web", content);
        var view = await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var copy = Assert.Single(candidate.Seen);
        Assert.Equal("POST", copy.Method);
        Assert.Equal("/orders?source=web", copy.Target);
        Assert.Equal("""{"sku":"a","qty":2}""", copy.Body);
        Assert.StartsWith("application/json", copy.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", copy.Headers["X-Forwarded-For"]);
        Assert.Equal(legacy.Seen.Single().Body, copy.Body);
        Assert.Equal(1, view.Shadow.Equal);
    }

    [Fact]
    public async Task BodyOverTheBufferLimit_IsServedWhole_AndItsCopySkipped()
    {
        await using var legacy = await ScriptedBackend.StartAsync(context =>
            context.Response.WriteAsync(context.Request.Headers.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? "chunked"));
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { methods: [POST], maxBodyBytes: 1000 }"));

        using var sized = await proxy.Proxy.PostAsync("/upload", new ByteArrayContent(new byte[5000]));
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = new StreamContent(new MemoryStream(new byte[5000])) };
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await proxy.Proxy.SendAsync(chunked);
        using var small = await proxy.Proxy.PostAsync("/upload", new ByteArrayContent(new byte[10]));
        await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal("5000", await sized.Content.ReadAsStringAsync());
        Assert.Equal("chunked", await chunkedResponse.Content.ReadAsStringAsync());
        Assert.Equal(5000, legacy.Seen.ElementAt(1).Body.Length);
        Assert.Equal(10, Assert.Single(candidate.Seen).Body.Length);
        var view = await ShadowHarness.DivergencesAsync(proxy);
        Assert.Equal(2, view.Shadow.Skipped);
        Assert.Equal(1, view.Shadow.Mirrored);
    }

    [Fact]
    public async Task WebSocket_IsServedByLegacy_AndNotMirrored()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "shadow"));
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new UriBuilder(proxy.Host.DataPlaneAddress) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var view = await ShadowHarness.DivergencesAsync(proxy);

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        Assert.Equal(1, backends.Legacy.Requests);
        Assert.Equal(0, backends.Candidate.Requests);
        Assert.Equal((0L, 1L), (view.Shadow.Mirrored, view.Shadow.Skipped));
    }

    [Fact]
    public async Task ClientBreakingOffItsBody_IsSkipped_AndTheProxyKeepsServing()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Echo);
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { methods: [POST, GET] }"));

        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync(proxy.Host.DataPlaneAddress.Host, proxy.Host.DataPlaneAddress.Port);
            var stream = raw.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly a part"));
            await stream.FlushAsync();
            await Task.Delay(200);
        }

        (await proxy.Proxy.GetAsync("/orders/1")).EnsureSuccessStatusCode();
        var view = await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal(1, view.Shadow.Skipped);
        Assert.DoesNotContain(legacy.Seen, s => s.Method == "POST");
        Assert.DoesNotContain(candidate.Seen, s => s.Method == "POST");
    }

    [Fact]
    public async Task EscapedPathAndQuery_ReachTheCandidateAsTheyReachedLegacy()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Echo);
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url));

        (await proxy.Proxy.GetAsync("/files/a%20b/c%2Fd/e%23f?q=x%26y&z=%C3%A9")).EnsureSuccessStatusCode();
        await ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal(Assert.Single(legacy.Seen).Target, Assert.Single(candidate.Seen).Target);
    }

    [Fact]
    public async Task Percent_MirrorsThatShareOfRequests()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Echo);
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { percent: 20 }"));

        for (var i = 0; i < 400; i++)
        {
            (await proxy.Proxy.GetAsync("/orders/1")).EnsureSuccessStatusCode();
        }

        var mirrored = (await ShadowHarness.DivergencesAsync(proxy)).Shadow.Mirrored;
        Assert.InRange(mirrored, 40, 130);
    }

    [Fact]
    public async Task CanaryWithAlsoInCanary_MirrorsOnlyTheUsersStillOnLegacy()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Echo);
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, "shadow: { alsoInCanary: true }", mode: "canary", extra: "weight: 50"));

        for (var user = 0; user < 100; user++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/1");
            request.Headers.Add("X-User-Id", $"user-{user}");
            (await proxy.Proxy.SendAsync(request)).EnsureSuccessStatusCode();
        }

        var served = legacy.Seen.Count;
        var view = await ShadowHarness.SettledAsync(proxy, served);
        Assert.Equal(served, view.Shadow.Mirrored);
        Assert.Equal(100 - served, candidate.Seen.Count(s => !s.IsShadowCopy));
        Assert.Equal(served, candidate.Seen.Count(s => s.IsShadowCopy));
        Assert.InRange(served, 30, 70);
    }

    [Fact]
    public async Task CanaryWithoutAlsoInCanary_MirrorsNothing()
    {
        await using var legacy = await ScriptedBackend.StartAsync(Echo);
        await using var candidate = await ScriptedBackend.StartAsync(Echo);
        await using var proxy = await ProxyUnderTest.StartAsync(ShadowHarness.Migration(legacy.Url, candidate.Url, mode: "canary", extra: "weight: 50"));

        for (var user = 0; user < 20; user++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/1");
            request.Headers.Add("X-User-Id", $"user-{user}");
            (await proxy.Proxy.SendAsync(request)).EnsureSuccessStatusCode();
        }

        Assert.DoesNotContain(candidate.Seen, s => s.IsShadowCopy);
        Assert.Equal(0, (await ShadowHarness.DivergencesAsync(proxy)).Shadow.Mirrored);
    }
}
