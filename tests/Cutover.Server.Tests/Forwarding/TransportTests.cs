using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Forwarding;

[Collection(MeasuresProcessMemory.Name)]
public class TransportTests
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    [Fact]
    public async Task Forwarding_WritesXForwardedHeaders_AndKeepsTheClientsOtherHeadersAndItsTraceContext()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo-headers");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Custom", "kept");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await proxy.Proxy.SendAsync(request);
        var seen = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;

        Assert.Equal("127.0.0.1", seen["x-forwarded-for"]);
        Assert.Equal("http", seen["x-forwarded-proto"]);
        Assert.Equal(proxy.Host.DataPlaneAddress.Authority, seen["x-forwarded-host"]);
        Assert.Equal("kept", seen["x-custom"]);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", seen["traceparent"]);
    }

    [Fact]
    public async Task Upload_50MegabyteBody_StreamsThroughWithoutBuffering()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var response = await proxy.Proxy.PostAsync("/upload", new StreamContent(new PatternStream(FiftyMegabytes), 64 * 1024));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FiftyMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        // Client, proxy and backend share this process; buffering the body anywhere would allocate at least 50 MB.
        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated / (1024 * 1024)} MB allocated while streaming 50 MB");
    }

    [Fact]
    public async Task Download_50MegabyteBody_StreamsThroughWithoutBuffering()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration());
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var response = await proxy.Proxy.GetAsync($"/download?bytes={FiftyMegabytes}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(FiftyMegabytes, total);
        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated / (1024 * 1024)} MB allocated while streaming 50 MB");
    }

    [Fact]
    public async Task InlineScheduling_ForwardsStreamsAndSplitsLikeTheDefault()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "canary", weight: 50),
            options: new CutoverHostOptions { LogLevel = LogLevel.Warning, InlineScheduling = true });

        var sides = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => proxy.SideOfAsync($"user-{i}")));
        using var upload = await proxy.Proxy.PostAsync("/upload", new StreamContent(new PatternStream(8 * 1024 * 1024)));

        Assert.Contains("legacy", sides);
        Assert.Contains("candidate", sides);
        Assert.Equal((8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), await upload.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebSocket_IsProxiedBothWays()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"));
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(proxy.Host.DataPlaneAddress) { Scheme = "ws", Path = "/ws" }.Uri;

        await socket.ConnectAsync(address, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello through cutover"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal("hello through cutover", Encoding.UTF8.GetString(buffer, 0, received.Count));
        Assert.Equal(1, backends.Candidate.Requests);
    }

    /// <summary>A read-only stream of a repeating pattern, so a large body costs no memory on the client.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
