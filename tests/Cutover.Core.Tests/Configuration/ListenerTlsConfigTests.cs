using System.Security.Authentication;
using Cutover.Core.Configuration;
using Cutover.Testing;

namespace Cutover.Core.Tests.Configuration;

/// <summary>The data plane's <c>tls</c> section: its SNI certificates and TLS versions, and what each mistake is told.</summary>
public sealed class ListenerTlsConfigTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    private string Pem => $"certificate: {_certificates.CertificateFile}\n  key: {_certificates.KeyFile}";

    [Fact]
    public void Load_HttpsListenWithTls_LoadsTheCertificateAndServesTls12AndNewer()
    {
        var definition = ConfigLoader.Load(Config(Pem), "cutover.yaml");

        Assert.Equal("https", definition.Listen.Scheme);
        Assert.Equal("CN=localhost", definition.Tls!.Certificates.Default.Certificate.Subject);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, definition.Tls.Protocols);
        Assert.Null(definition.AdminTls);
        Assert.Equal([_certificates.CertificateFile, _certificates.KeyFile], definition.Tls.Files);
    }

    [Fact]
    public void Load_MinVersion13_ServesTls13Only() =>
        Assert.Equal(SslProtocols.Tls13, ConfigLoader.Load(Config(Pem + "\n  minVersion: \"1.3\""), "cutover.yaml").Tls!.Protocols);

    [Theory]
    [InlineData("1.1")]
    [InlineData("tls12")]
    public void Load_OtherMinVersion_SaysWhichAreServed(string version) =>
        Assert.Equal(
            $"cutover.yaml:3: tls.minVersion: '{version}' is not a TLS version Cutover serves; use \"1.2\" (the default: TLS 1.2 and 1.3) or \"1.3\" (TLS 1.3 only); older versions are never served",
            Assert.Single(Errors(Config(Pem + $"\n  minVersion: \"{version}\""))));

    [Fact]
    public void Load_TlsWithHttpListen_SaysTheCertificateWouldNeverBeUsed() =>
        Assert.Equal(
            "cutover.yaml:3: tls: is given, but listen 'http://127.0.0.1:8080/' is not https, so the certificate would never be used; make listen https://127.0.0.1:8080, or remove tls",
            Assert.Single(Errors(Config(Pem, "http://127.0.0.1:8080"))));

    [Fact]
    public void Load_SniCertificates_AreChosenByHostWithWildcardsOfOneLabel()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var api = _certificates.Issue("api", now.AddDays(-1), now.AddDays(30), host: "api.example.com");
        using var @internal = _certificates.Issue("internal", now.AddDays(-1), now.AddDays(30), host: "*.internal.example.com");

        var served = ConfigLoader.Load(Config($"""
            {Pem}
              sni:
                - hosts: [api.example.com, api.example.org.]
                  certificate: {_certificates.Folder}/api.pem
                  key: {_certificates.Folder}/api.key
                - hosts: ["*.internal.example.com"]
                  certificate: {_certificates.Folder}/internal.pem
                  key: {_certificates.Folder}/internal.key
            """), "cutover.yaml").Tls!.Certificates;

        Assert.Equal(api.Thumbprint, served.For("api.example.com").Certificate.Thumbprint);
        Assert.Equal(api.Thumbprint, served.For("API.EXAMPLE.ORG").Certificate.Thumbprint);
        Assert.Equal(@internal.Thumbprint, served.For("orders.internal.example.com").Certificate.Thumbprint);
        Assert.Same(served.Default, served.For("internal.example.com"));
        Assert.Same(served.Default, served.For("a.b.internal.example.com"));
        Assert.Same(served.Default, served.For(null));
        Assert.Same(served.Default, served.For("127.0.0.1"));
    }

    [Fact]
    public void Load_BadSniItems_AreReportedEachWithItsPlace()
    {
        var errors = Errors(Config($"""
            {Pem}
              sni:
                - certificate: {_certificates.CertificateFile}
                  key: {_certificates.KeyFile}
                - hosts: ["api example.com", "*.*.example.com"]
                  pfx: {_certificates.Folder}/none.pfx
            """));

        Assert.Equal(
            [
                "cutover.yaml:6: tls.sni[1].hosts: is missing or empty; give the host names this certificate is served for, e.g. hosts: [api.example.com, \"*.internal.example.com\"]",
                "cutover.yaml:8: tls.sni[2].hosts: 'api example.com' is not a host name; give a name such as api.example.com, or *. and a domain (*.internal.example.com) for every name one label under it",
                "cutover.yaml:8: tls.sni[2].hosts: '*.*.example.com' is not a host name; give a name such as api.example.com, or *. and a domain (*.internal.example.com) for every name one label under it",
                $"cutover.yaml:8: tls.sni[2].pfx: '{_certificates.Folder}/none.pfx' cannot be read (Could not find file '{_certificates.Folder}/none.pfx'); give the path of a PKCS#12 file (a relative path is read from {Directory.GetCurrentDirectory()})",
            ],
            errors);
    }

    [Fact]
    public void Settings_AnSniItemAdded_IsReportedAsTls()
    {
        var running = ConfigLoader.Load(Config(Pem), "cutover.yaml");
        var withSni = Config($"{Pem}\n  sni:\n    - hosts: [api.example.com]\n      certificate: {_certificates.CertificateFile}\n      key: {_certificates.KeyFile}");

        Assert.Empty(DefinitionDifferences.Settings(running, ConfigLoader.Load(Config(Pem), "cutover.yaml")));
        Assert.Equal("tls", Assert.Single(DefinitionDifferences.Settings(running, ConfigLoader.Load(withSni, "cutover.yaml"))).Field);
    }

    public void Dispose() => _certificates.Dispose();

    /// <summary>A file with <paramref name="listen"/> and <paramref name="section"/> as its tls section, its keys starting on line 3.</summary>
    private static string Config(string section, string listen = "https://127.0.0.1:8443") => $"""
        listen: {listen}
        tls:
          {section}
        migrations: []
        """;

    private static List<string> Errors(string yaml) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml")).Errors.Select(e => e.ToString()).ToList();
}
