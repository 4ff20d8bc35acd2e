using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Configuration;
using Cutover.Kernel.Security;
using Cutover.Server.Hosting;
using Cutover.Server.Security;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Hosting;

/// <summary>The admin API over https with the config's certificate, and which certificates a client of it accepts.</summary>
public sealed class AdminTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    private string Pem => $"certificate: {_certificates.CertificateFile}\n  key: {_certificates.KeyFile}";

    private string Pfx => $"pfx: {_certificates.PfxFile}\n  password: {TestCertificates.PfxPassword}";

    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public async Task StartAsync_AdminTls_ServesHttpsWithTheConfiguredCertificate(string files)
    {
        await using var host = await StartAsync(files == "pem" ? Pem : Pfx);

        var presented = await PresentedAsync(host);

        Assert.Equal("https", host.AdminAddress.Scheme);
        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(_certificates.CertificateFile).Thumbprint, presented.Thumbprint);
    }

    [Fact]
    public async Task StartAsync_AdminCertificateRenewed_NewHandshakesGetTheNewCertificateWithoutRestart()
    {
        var time = new ManualTime(TimeProvider.System.GetUtcNow());
        await using var host = await StartAsync(Pem, options: new CutoverHostOptions { LogLevel = LogLevel.Warning, Time = time });
        var before = await PresentedAsync(host);
        var now = TimeProvider.System.GetUtcNow();
        using var renewed = _certificates.Issue("renewed", now.AddDays(-1), now.AddDays(90));

        File.Copy(Path.Combine(_certificates.Folder, "renewed.pem"), _certificates.CertificateFile, overwrite: true);
        File.Copy(Path.Combine(_certificates.Folder, "renewed.key"), _certificates.KeyFile, overwrite: true);
        var beforePoll = await PresentedAsync(host);
        time.Advance(ListenerCertificates.PollInterval);

        Assert.Equal(before.Thumbprint, beforePoll.Thumbprint);
        Assert.Equal(renewed.Thumbprint, (await PresentedAsync(host)).Thumbprint);
    }

    [Fact]
    public async Task StartAsync_AdminKeyRenewedWithoutItsCertificate_KeepsServingTheLastGoodCertificate()
    {
        var time = new ManualTime(TimeProvider.System.GetUtcNow());
        await using var host = await StartAsync(Pem, options: new CutoverHostOptions { LogLevel = LogLevel.Warning, Time = time });
        var before = await PresentedAsync(host);
        var now = TimeProvider.System.GetUtcNow();
        using var other = _certificates.Issue("other", now.AddDays(-1), now.AddDays(90));

        File.Copy(Path.Combine(_certificates.Folder, "other.key"), _certificates.KeyFile, overwrite: true);
        time.Advance(ListenerCertificates.PollInterval);

        Assert.Equal(before.Thumbprint, (await PresentedAsync(host)).Thumbprint);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task StartAsync_AdminTls_ServesHttp11AndHttp2(string version)
    {
        await using var host = await StartAsync(Pem);
        using var client = new HttpClient(Trusting(_certificates.CaFile).CreateHandler()) { BaseAddress = host.AdminAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/migrations") { Version = Version.Parse(version), VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
    }

    [Fact]
    public async Task StartAsync_AdminAddressOverridden_ServesTheOverrideWithTheConfigsCertificate()
    {
        var configured = new Uri($"https://127.0.0.1:{LoopbackPorts.Closed()}/");
        await using var host = await StartAsync(Pem, configured.ToString(), new CutoverHostOptions { Admin = new Uri("https://127.0.0.1:0"), LogLevel = LogLevel.Warning });
        using var client = new HttpClient(Trusting(_certificates.CaFile).CreateHandler()) { BaseAddress = host.AdminAddress };

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("https", host.AdminAddress.Scheme);
        Assert.NotEqual(configured.Port, host.AdminAddress.Port);
    }

    [Fact]
    public async Task AdminTrust_SystemStoreOnly_RefusesACertificateOfAPrivateCaAsNotTrusted()
    {
        await using var host = await StartAsync(Pem);
        var trust = AdminTrust.SystemStore();
        using var client = new HttpClient(trust.CreateHandler()) { BaseAddress = host.AdminAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/readyz"));

        Assert.StartsWith("its certificate is not trusted: ", trust.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminTrust_CaFileOfAnotherCa_RefusesNamingTheFile()
    {
        using var other = TestCertificates.Create();
        await using var host = await StartAsync(Pem);
        var trust = Trusting(other.CaFile);
        using var client = new HttpClient(trust.CreateHandler()) { BaseAddress = host.AdminAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/readyz"));

        Assert.StartsWith($"its certificate is not trusted by the system or by {other.CaFile}: ", trust.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminTrust_TrustedCaButCertificateForAnotherHost_IsRefused()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var elsewhere = _certificates.Issue("elsewhere", now.AddDays(-1), now.AddDays(30), host: "elsewhere.example");
        await using var host = await StartAsync($"certificate: {_certificates.Folder}/elsewhere.pem\n  key: {_certificates.Folder}/elsewhere.key");
        var trust = Trusting(_certificates.CaFile);
        using var client = new HttpClient(trust.CreateHandler()) { BaseAddress = host.AdminAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/readyz"));

        Assert.Equal("its certificate is not issued for this host name", trust.Refusal);
    }

    public void Dispose() => _certificates.Dispose();

    /// <summary>The certificate a new connection to the admin listener is served; the client trusts the test CA and checks the answer.</summary>
    private async Task<X509Certificate2> PresentedAsync(CutoverHost host)
    {
        X509Certificate2? presented = null;
        using var handler = Trusting(_certificates.CaFile).CreateHandler();
        var check = handler.SslOptions.RemoteCertificateValidationCallback!;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            presented = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            return check(sender, certificate, chain, errors);
        };
        using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = host.AdminAddress };

        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return presented!;
    }

    private static AdminTrust Trusting(string caFile) => AdminTrust.FromCaFile(caFile, out var problem) ?? throw new InvalidOperationException(problem);

    private Task<CutoverHost> StartAsync(string tls, string admin = "https://127.0.0.1:0", CutoverHostOptions? options = null) =>
        CutoverHost.StartAsync(
            ConfigLoader.Load($"""
                listen: http://127.0.0.1:0
                admin: {admin}
                adminTls:
                  {tls}
                store: sqlite:{Path.Combine(_certificates.Folder, "cutover.db")}
                migrations:
                  - name: billing-tax
                    kind: code
                """, "test.yaml"),
            options ?? new CutoverHostOptions { LogLevel = LogLevel.Warning });
}
