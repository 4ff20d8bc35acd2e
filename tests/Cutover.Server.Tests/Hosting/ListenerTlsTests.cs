using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Hosting;

/// <summary>The data plane over https (<c>listen: https://</c> with a <c>tls</c> section): ALPN, SNI, TLS versions and certificates renewed while it runs.</summary>
public sealed class ListenerTlsTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private Backends _backends = null!;

    private string Pem => $"certificate: {_certificates.CertificateFile}\n  key: {_certificates.KeyFile}";

    public async Task InitializeAsync() => _backends = await Backends.StartAsync();

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task DataPlane_HttpsListen_ForwardsOverTheVersionAlpnChose(string version)
    {
        await using var host = await StartAsync(Pem);
        using var client = new HttpClient(Handler());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.DataPlaneAddress, "/orders/1"))
        {
            Version = Version.Parse(version),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request);

        Assert.Equal("https", host.DataPlaneAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.Equal("candidate", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DataPlane_HttpsListen_TellsTheBackendTheRequestCameOverHttps()
    {
        await using var host = await StartAsync(Pem);
        using var client = new HttpClient(Handler());

        var seen = await client.GetFromJsonAsync<Dictionary<string, string>>(new Uri(host.DataPlaneAddress, "/echo-headers"));

        Assert.Equal("https", seen!["x-forwarded-proto"]);
    }

    [Theory]
    [InlineData("api.example.com", "api")]
    [InlineData("API.Example.com", "api")]
    [InlineData("a.internal.example.com", "internal")]
    [InlineData("b.a.internal.example.com", "default")]
    [InlineData("other.example.com", "default")]
    [InlineData(null, "default")]
    public async Task DataPlane_SniHosts_ServeTheCertificateOfTheHostAskedFor(string? host, string expected)
    {
        var now = TimeProvider.System.GetUtcNow();
        using var api = _certificates.Issue("api", now.AddDays(-1), now.AddDays(30), host: "api.example.com");
        using var @internal = _certificates.Issue("internal", now.AddDays(-1), now.AddDays(30), host: "*.internal.example.com");
        await using var cutover = await StartAsync($"""
            {Pem}
              sni:
                - hosts: [api.example.com]
                  certificate: {_certificates.Folder}/api.pem
                  key: {_certificates.Folder}/api.key
                - hosts: ["*.internal.example.com"]
                  certificate: {_certificates.Folder}/internal.pem
                  key: {_certificates.Folder}/internal.key
            """);

        var seen = await PresentedAsync(cutover, host);

        var thumbprints = new Dictionary<string, string>
        {
            ["api"] = api.Thumbprint,
            ["internal"] = @internal.Thumbprint,
            ["default"] = X509CertificateLoader.LoadCertificateFromFile(_certificates.CertificateFile).Thumbprint,
        };
        Assert.Equal(thumbprints[expected], seen.Thumbprint);
    }

    [Theory]
    [InlineData(null, SslProtocols.Tls12, true)]
    [InlineData(null, SslProtocols.Tls13, true)]
    [InlineData("\"1.3\"", SslProtocols.Tls12, false)]
    [InlineData("\"1.3\"", SslProtocols.Tls13, true)]
#pragma warning disable SYSLIB0039 // TLS 1.1 is obsolete: the test checks that a client still offering only it is refused.
    [InlineData(null, SslProtocols.Tls11, false)]
#pragma warning restore SYSLIB0039
    public async Task DataPlane_MinVersion_RefusesClientsOfOlderTls(string? minVersion, SslProtocols client, bool served)
    {
        await using var host = await StartAsync(Pem + (minVersion is null ? string.Empty : $"\n  minVersion: {minVersion}"));
        var handler = Handler();
        handler.SslOptions.EnabledSslProtocols = client;
        using var http = new HttpClient(handler);

        var answer = await Record.ExceptionAsync(async () => (await http.GetAsync(new Uri(host.DataPlaneAddress, "/"))).EnsureSuccessStatusCode());

        Assert.Equal(served, answer is null);
    }

    [Fact]
    public async Task DataPlane_CertificateFilesRenewed_NewHandshakesGetTheNewCertificateWithoutRestart()
    {
        var time = new ManualTime(TimeProvider.System.GetUtcNow());
        await using var host = await StartAsync(Pem, time);
        var before = await PresentedAsync(host, null);
        var now = TimeProvider.System.GetUtcNow();
        using var renewed = _certificates.Issue("renewed", now.AddDays(-1), now.AddDays(90));

        File.Copy(Path.Combine(_certificates.Folder, "renewed.pem"), _certificates.CertificateFile, overwrite: true);
        File.Copy(Path.Combine(_certificates.Folder, "renewed.key"), _certificates.KeyFile, overwrite: true);
        var beforePoll = await PresentedAsync(host, null);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(before.Thumbprint, beforePoll.Thumbprint);
        Assert.Equal(renewed.Thumbprint, (await PresentedAsync(host, null)).Thumbprint);
    }

    [Fact]
    public async Task DataPlane_CertificateFileBrokenWhileServing_KeepsServingTheLastGoodCertificate()
    {
        var time = new ManualTime(TimeProvider.System.GetUtcNow());
        await using var host = await StartAsync(Pem, time);
        var before = await PresentedAsync(host, null);
        var now = TimeProvider.System.GetUtcNow();
        using var other = _certificates.Issue("other", now.AddDays(-1), now.AddDays(90));

        // A certificate renewed without its key: the key on disk is the old certificate's.
        File.Copy(Path.Combine(_certificates.Folder, "other.pem"), _certificates.CertificateFile, overwrite: true);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(before.Thumbprint, (await PresentedAsync(host, null)).Thumbprint);
    }

    public async Task DisposeAsync()
    {
        await _backends.DisposeAsync();
        _certificates.Dispose();
    }

    private SocketsHttpHandler Handler()
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(_certificates.CaFile);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 served && chain.Build(served);
        };
        return handler;
    }

    /// <summary>The certificate a new connection to the data plane is served, asking (by SNI) for <paramref name="host"/>, or for none.</summary>
    private static async Task<X509Certificate2> PresentedAsync(CutoverHost cutover, string? host)
    {
        X509Certificate2? presented = null;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            presented = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            return true;
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cutover.DataPlaneAddress, "/"));

        // The client asks for the Host header's name in its handshake (SNI); an IP address is never sent.
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return presented!;
    }

    private Task<CutoverHost> StartAsync(string tls, TimeProvider? time = null) =>
        CutoverHost.StartAsync(
            ConfigLoader.Load($"""
                listen: https://127.0.0.1:0
                tls:
                  {tls}
                admin: http://127.0.0.1:0
                store: sqlite:{Path.Combine(_certificates.Folder, "cutover.db")}
                migrations:
                {_backends.Migration(mode: "candidate")}
                """, "test.yaml"),
            new CutoverHostOptions { LogLevel = LogLevel.Warning, Time = time ?? TimeProvider.System });
}
