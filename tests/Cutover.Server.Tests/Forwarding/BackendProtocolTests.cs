using System.Net;
using System.Text.Json;
using Cutover.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cutover.Server.Tests.Forwarding;

/// <summary>Each side spoken to in the HTTP version its <c>protocol</c> names, against real Kestrel backends that speak only that.</summary>
public sealed class BackendProtocolTests
{
    [Fact]
    public async Task Forward_H2cBackendWithProtocolH2c_SpeaksHttp2WithPriorKnowledge()
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http2);
        await using var candidate = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "h2c", candidate.Url, "http1"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP/2", await response.Content.ReadAsStringAsync());
        Assert.Equal(["HTTP/2"], legacy.Protocols);
    }

    [Fact]
    public async Task Forward_AutoOverPlainHttp_SpeaksHttp11EvenToABackendOfferingBoth()
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http1AndHttp2);
        await using var candidate = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "auto", candidate.Url, "auto"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal("HTTP/1.1", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http1")]
    [InlineData("auto")]
    public async Task Forward_Http11ToKestrelListeningH2cOnly_PassesOnKestrelsOwn400SayingSo(string protocol)
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http2);
        await using var candidate = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, protocol, candidate.Url, "http1"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("An HTTP/1.x request was sent to an HTTP/2 only endpoint.", await response.Content.ReadAsStringAsync());
        Assert.Empty(legacy.Protocols);
    }

    [Fact]
    public async Task Forward_Http11ToAServerAnsweringInHttp2Frames_Gets502NamingTheProtocolSetting()
    {
        using var legacy = Http2OnlySpeaker.Start();
        await using var candidate = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "http1", candidate.Url, "http1"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal("Migration 'orders': the legacy backend closed the connection without an answer (a backend that serves only HTTP/2 in the clear does that to HTTP/1.1: then set its protocol to h2c).", detail);
    }

    [Fact]
    public async Task Forward_H2cToAnHttp11OnlyBackend_Gets502SayingItNeedsHttp1()
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var candidate = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "h2c", candidate.Url, "http1"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal("Migration 'orders': the legacy backend speaks only HTTP/1.1 and refused HTTP/2 (HTTP_1_1_REQUIRED); set its protocol to http1 or auto.", detail);
    }

    [Fact]
    public async Task Shadow_H2cCandidate_GetsItsCopiesOverHttp2()
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var candidate = await ProtocolBackend.StartAsync(HttpProtocols.Http2);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "http1", candidate.Url, "h2c", mode: "shadow"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");
        var view = await Shadow.ShadowHarness.SettledAsync(proxy, 1);

        Assert.Equal("HTTP/1.1", await response.Content.ReadAsStringAsync());
        Assert.Equal(["HTTP/2"], candidate.Protocols);
        Assert.Equal(0, view.Shadow.CandidateErrors);
        Assert.Equal(1, view.Shadow.Compared);
    }

    [Fact]
    public async Task Checks_H2cBackends_AnswerTheirHealthChecksOverHttp2()
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http2);
        await using var candidate = await ProtocolBackend.StartAsync(HttpProtocols.Http2);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "h2c", candidate.Url, "h2c",
            extra: "checks: { health: { legacy: /healthz, candidate: /healthz }, timeout: 5s }"));

        using var response = await proxy.Admin.GetAsync("/api/migrations/orders/checks");
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("passed").GetBoolean());

        Assert.True(checks["health-legacy"]);
        Assert.True(checks["health-candidate"]);
        Assert.Equal(["HTTP/2"], legacy.Protocols);
        Assert.Equal(["HTTP/2"], candidate.Protocols);
    }

    [Fact]
    public async Task Fallback_H2cBackend_SpeaksHttp2()
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http1);
        await using var fallback = await ProtocolBackend.StartAsync(HttpProtocols.Http2);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "http1", legacy.Url, "http1"),
            fallback: $"{{ url: \"{fallback.Url}\", protocol: h2c }}");

        using var response = await proxy.Proxy.GetAsync("/elsewhere");

        Assert.Equal("HTTP/2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_TrailersFromAnH2cBackend_ReachAnH2cClient()
    {
        await using var legacy = await ProtocolBackend.StartAsync(HttpProtocols.Http2);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(legacy.Url, "h2c", legacy.Url, "h2c"), topLevel: "listenProtocol: h2c");
        using var client = new HttpClient { BaseAddress = proxy.Host.DataPlaneAddress, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.GetAsync("/orders/trailers");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal((HttpVersion.Version20, "HTTP/2"), (response.Version, body));
        Assert.Equal([ProtocolBackend.TrailerValue], response.TrailingHeaders.GetValues(ProtocolBackend.TrailerName));
    }

    private static string Migration(string legacy, string legacyProtocol, string candidate, string candidateProtocol, string mode = "legacy", string? extra = null) => $"""
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            legacy: {"{"} url: "{legacy}", protocol: {legacyProtocol} {"}"}
            candidate: {"{"} url: "{candidate}", protocol: {candidateProtocol} {"}"}
            mode: {mode}
            {extra ?? string.Empty}
        """;
}
