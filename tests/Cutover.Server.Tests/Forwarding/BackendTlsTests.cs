using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Cutover.Server.Tests.Forwarding;

/// <summary>Backends over https with a certificate of a private CA, with and without mTLS, against real Kestrel backends.</summary>
public sealed class BackendTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly X509Certificate2 _server;

    public BackendTlsTests() => _server = X509CertificateLoader.LoadPkcs12FromFile(_certificates.PfxFile, TestCertificates.PfxPassword);

    public void Dispose()
    {
        _server.Dispose();
        _certificates.Dispose();
    }

    [Fact]
    public async Task Forward_PrivateCaBackendWithoutCa_Gets502SayingTheCertificateIsNotTrusted()
    {
        await using var backend = await ProtocolBackend.StartAsync(HttpProtocols.Http1AndHttp2, https => https.ServerCertificate = _server);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(backend.Url, string.Empty));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.StartsWith("Migration 'orders': the legacy backend failed the TLS handshake (", detail, StringComparison.Ordinal);
        Assert.Contains("The remote certificate is invalid because of errors in the certificate chain", detail, StringComparison.Ordinal);
        Assert.Contains("give that CA's PEM file as its tls.ca", detail, StringComparison.Ordinal);
        Assert.Empty(backend.Protocols);
    }

    [Fact]
    public async Task Forward_PrivateCaBackendWithItsCa_IsServedOverH2ByAlpn()
    {
        await using var backend = await ProtocolBackend.StartAsync(HttpProtocols.Http1AndHttp2, https => https.ServerCertificate = _server);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(backend.Url, $"tls: {{ ca: \"{_certificates.CaFile}\" }}"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP/2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_BackendRequiringAClientCertificate_GetsCutoversAndServes()
    {
        using var client = _certificates.Issue("cutover-client", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), host: "cutover-client");
        await using var backend = await ProtocolBackend.StartAsync(HttpProtocols.Http1AndHttp2, https =>
        {
            https.ServerCertificate = _server;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => certificate.Issuer == "CN=Cutover Test CA";
        });
        var folder = _certificates.Folder;
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(backend.Url,
            $"tls: {{ ca: \"{_certificates.CaFile}\", clientCertificate: \"{folder}/cutover-client.pem\", clientKey: \"{folder}/cutover-client.key\" }}"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["CN=cutover-client"], backend.ClientCertificates);
    }

    [Fact]
    public async Task Forward_BackendRequiringAClientCertificateWithoutOne_Gets502()
    {
        await using var backend = await ProtocolBackend.StartAsync(HttpProtocols.Http1AndHttp2, https =>
        {
            https.ServerCertificate = _server;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        });
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(backend.Url, $"tls: {{ ca: \"{_certificates.CaFile}\" }}"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(backend.Protocols);
    }

    [Fact]
    public async Task Forward_InsecureSkipVerify_ServesWithoutTheCa()
    {
        await using var backend = await ProtocolBackend.StartAsync(HttpProtocols.Http1AndHttp2, https => https.ServerCertificate = _server);
        await using var proxy = await ProxyUnderTest.StartAsync(Migration(backend.Url, "tls: { insecureSkipVerify: true }"));

        using var response = await proxy.Proxy.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["migration 'orders' legacy (" + backend.Url + "/)"], Core.Configuration.InsecureBackends.Of(proxy.Host.Runtime.Definition));
    }

    private static string Migration(string legacy, string legacyTls) => $"""
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            legacy:
              url: "{legacy}"
              {legacyTls}
            candidate: {legacy}
            mode: legacy
        """;
}
