using System.Net;
using Cutover.Server.Tests.Infrastructure;

namespace Cutover.Server.Tests.Hosting;

/// <summary>HTTP/2 in clear (h2c, prior knowledge) on a listener told to speak it, through Cutover to a real backend.</summary>
public sealed class H2cListenerTests
{
    [Fact]
    public async Task DataPlane_ListenProtocolH2c_ForwardsAnHttp2PriorKnowledgeRequest()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "candidate"), topLevel: "listenProtocol: h2c");
        using var request = Http2(HttpMethod.Get, new Uri(proxy.Host.DataPlaneAddress, "/orders/1"));

        using var response = await proxy.Proxy.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("candidate", await response.Content.ReadAsStringAsync());
        Assert.Equal("http", proxy.Host.DataPlaneAddress.Scheme);
    }

    [Fact]
    public async Task DataPlane_ListenProtocolH2c_StreamsARequestBodyOverHttp2()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(mode: "legacy"), topLevel: "listenProtocol: h2c");
        using var request = Http2(HttpMethod.Post, new Uri(proxy.Host.DataPlaneAddress, "/upload"));
        request.Content = new ByteArrayContent(new byte[3 * 1024 * 1024]);

        using var response = await proxy.Proxy.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal((3 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DataPlane_DefaultProtocol_RefusesHttp2PriorKnowledge()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration());
        using var request = Http2(HttpMethod.Get, new Uri(proxy.Host.DataPlaneAddress, "/"));

        await Assert.ThrowsAsync<HttpRequestException>(() => proxy.Proxy.SendAsync(request));
    }

    [Fact]
    public async Task Admin_AdminProtocolH2c_AnswersOverHttp2()
    {
        await using var backends = await Backends.StartAsync();
        await using var proxy = await ProxyUnderTest.StartAsync(backends.Migration(), topLevel: "adminProtocol: h2c");
        using var request = Http2(HttpMethod.Get, new Uri(proxy.Host.AdminAddress, "/api/migrations/orders"));

        using var response = await proxy.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    private static HttpRequestMessage Http2(HttpMethod method, Uri uri) =>
        new(method, uri) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
}
