using Cutover.Core.Configuration;
using Cutover.Testing;
using Cutover.Core.Routing;

namespace Cutover.Core.Tests.Configuration;

/// <summary>A backend written as a mapping (<c>legacy: { url, protocol }</c>) beside the plain URL, and every way to get it wrong.</summary>
public class BackendConfigTests
{
    [Fact]
    public void Load_BackendMappings_ParseUrlAndProtocol_AndPlainUrlsKeepAuto()
    {
        var definition = ConfigLoader.Load("""
            fallback: { url: "http://127.0.0.1:9000", protocol: http1 }
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:9001
                candidate:
                  url: http://127.0.0.1:9002/v2
                  protocol: h2c
              - name: users
                match: { pathPrefix: /users }
                legacy: { url: "https://users.internal:8443", protocol: h2 }
                candidate: { url: "https://users-v2.internal:8443" }
            """, "cutover.yaml");

        var orders = definition.Migrations[0];
        Assert.Equal("http://127.0.0.1:9002/v2", orders.Candidate.AbsoluteUri);
        Assert.Equal(BackendProtocol.Auto, orders.Backends.Legacy.Protocol);
        Assert.Equal(BackendProtocol.H2c, orders.Backends.Candidate.Protocol);
        var users = definition.Migrations[1];
        Assert.Equal(new Uri("https://users.internal:8443"), users.Legacy);
        Assert.Equal((BackendProtocol.H2, BackendProtocol.Auto), (users.Backends.Legacy.Protocol, users.Backends.Candidate.Protocol));
        Assert.Equal(new Uri("http://127.0.0.1:9000"), definition.Fallback);
        Assert.Equal(BackendProtocol.Http1, definition.FallbackBackend.Protocol);
    }

    [Fact]
    public void Load_PlainUrls_GiveDefaultSettingsEqualToAnotherReading()
    {
        var first = Assert.Single(ConfigLoader.Load(OneMigrationFile.With(string.Empty), "c.yaml").Migrations);
        var second = Assert.Single(ConfigLoader.Load(OneMigrationFile.With(string.Empty), "c.yaml").Migrations);

        Assert.Equal(SideBackends.Default, first.Backends);
        Assert.Empty(DefinitionDifferences.FixedFields(first, second));
    }

    [Fact]
    public void FixedFields_ProtocolChanged_NamesTheBackendSettings()
    {
        var running = Assert.Single(ConfigLoader.Load(OneMigrationFile.With(string.Empty), "c.yaml").Migrations);
        var file = Assert.Single(ConfigLoader.Load("""
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: { url: "http://127.0.0.1:9001", protocol: h2c }
                candidate: http://127.0.0.1:9002
            """, "c.yaml").Migrations);

        Assert.Equal(["legacy/candidate (protocol, tls)"], DefinitionDifferences.FixedFields(running, file));
    }

    [Theory]
    [InlineData("legacy: { url: \"http://127.0.0.1:9001\", protocol: http2 }",
        "legacy.protocol: 'http2' is not a backend protocol; use auto (the default: h2 or http/1.1 by ALPN over https, HTTP/1.1 over http), http1, h2 (HTTP/2 over https) or h2c")]
    [InlineData("legacy: { url: \"http://127.0.0.1:9001\", protocol: h2 }",
        "legacy.protocol: h2 is HTTP/2 over TLS, but 'http://127.0.0.1:9001/' is plain http; use h2c for HTTP/2 in the clear, or make the URL https://127.0.0.1:9001/")]
    [InlineData("legacy: { url: \"https://127.0.0.1:9001\", protocol: h2c }",
        "legacy.protocol: h2c is HTTP/2 in the clear, but 'https://127.0.0.1:9001/' is https; use h2 for HTTP/2 over TLS, or make the URL http://127.0.0.1:9001/")]
    [InlineData("legacy: { protocol: h2c }", "legacy.url: is missing; give the legacy backend's base URL (e.g. url: http://127.0.0.1:9001)")]
    [InlineData("legacy: { url: \"ftp://old.example.com\" }", "legacy: 'ftp://old.example.com' is not a backend URL; use http:// or https://")]
    [InlineData("legacy: { url: \"http://127.0.0.1:9001\", protcol: h2c }", "legacy.protcol: unknown key; did you mean 'protocol'? Allowed keys here: url, protocol, tls")]
    [InlineData("legacy: [http://127.0.0.1:9001]", "legacy: expected the backend's URL, or a mapping of keys (url, protocol, tls), found a list")]
    public void Load_BadBackend_SaysWhatToWrite(string line, string expected)
    {
        var yaml = $"""
            migrations:
              - name: orders
                match: {"{"} pathPrefix: /orders {"}"}
                candidate: http://127.0.0.1:9002
                {line}
            """;

        var error = Assert.Single(OneMigrationFile.Errors(yaml));

        Assert.StartsWith("cutover.yaml:5: migration 'orders': ", error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadFallbackProtocol_NamesTheFallback()
    {
        var error = Assert.Single(OneMigrationFile.Errors("fallback: { url: \"https://127.0.0.1:9000\", protocol: h2c }\nmigrations: []"));

        Assert.Contains("cutover.yaml:1: fallback.protocol: h2c is HTTP/2 in the clear", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("legacy: { url: \"http://127.0.0.1:9001\", tls: { insecureSkipVerify: true } }",
        "legacy.tls: is given, but 'http://127.0.0.1:9001/' is plain http, so no TLS is spoken to it; make the URL https://127.0.0.1:9001/, or remove tls")]
    [InlineData("legacy: { url: \"https://127.0.0.1:9001\", tls: { ca: nowhere.pem, insecureSkipVerify: true } }",
        "legacy.tls.ca: is not used with insecureSkipVerify: true")]
    [InlineData("legacy: { url: \"https://127.0.0.1:9001\", tls: { clientCertificate: client.pem } }",
        "legacy.tls.clientKey: is missing; give the PEM file of the private key of clientCertificate ('client.pem')")]
    [InlineData("legacy: { url: \"https://127.0.0.1:9001\", tls: { password: secret } }",
        "legacy.tls.password: is only used with pfx; give the client certificate as pfx with its password, or as clientCertificate and clientKey (PEM files)")]
    [InlineData("legacy: { url: \"https://127.0.0.1:9001\", tls: { ca: /nonexistent/ca.pem } }",
        "legacy.tls.ca: '/nonexistent/ca.pem' cannot be read as PEM certificates")]
    public void Load_BadBackendTls_SaysWhatToWrite(string line, string expected)
    {
        Assert.Contains(ErrorsWithLegacy(line), error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ExpiredClientCertificate_IsRefusedAtValidationNamingTheDate()
    {
        using var certificates = TestCertificates.Create();
        var now = DateTimeOffset.UtcNow;
        using var expired = certificates.Issue("client", now.AddDays(-30), now.AddDays(-1));
        var file = Path.Combine(certificates.Folder, "client.pem");

        var error = Assert.Single(ErrorsWithLegacy($"legacy: {{ url: \"https://127.0.0.1:9001\", tls: {{ clientCertificate: {file}, clientKey: {Path.Combine(certificates.Folder, "client.key")} }} }}"));

        Assert.Contains($"legacy.tls.clientCertificate: '{file}' holds a certificate ({expired.Subject}) that expired on ", error, StringComparison.Ordinal);
        Assert.EndsWith("; renew it and give the new file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientKeyOfAnotherCertificate_SaysWhichFilesDoNotMatch()
    {
        using var certificates = TestCertificates.Create();
        var now = DateTimeOffset.UtcNow;
        using var client = certificates.Issue("client", now.AddDays(-1), now.AddDays(30));
        using var other = certificates.Issue("other", now.AddDays(-1), now.AddDays(30));
        var file = Path.Combine(certificates.Folder, "client.pem");

        var error = Assert.Single(ErrorsWithLegacy($"legacy: {{ url: \"https://127.0.0.1:9001\", tls: {{ clientCertificate: {file}, clientKey: {Path.Combine(certificates.Folder, "other.key")} }} }}"));

        Assert.Contains($"legacy.tls.clientKey: '{Path.Combine(certificates.Folder, "other.key")}' is not the private key of the certificate in '{file}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void InsecureBackends_InsecureSkipVerify_AreNamedForTheWarning()
    {
        var definition = ConfigLoader.Load("""
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: https://127.0.0.1:9001
                candidate: { url: "https://127.0.0.1:9002", tls: { insecureSkipVerify: true } }
            """, "c.yaml");

        Assert.Equal(["migration 'orders' candidate (https://127.0.0.1:9002/)"], InsecureBackends.Of(definition));
    }

    /// <summary>The errors of a file whose one migration has a candidate and the given <paramref name="legacy"/> line.</summary>
    private static List<string> ErrorsWithLegacy(string legacy) => OneMigrationFile.Errors($"""
        migrations:
          - name: orders
            match: {"{"} pathPrefix: /orders {"}"}
            candidate: http://127.0.0.1:9002
            {legacy}
        """);
}
