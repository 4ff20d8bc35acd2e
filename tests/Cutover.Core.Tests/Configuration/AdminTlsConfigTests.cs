using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Configuration;
using Cutover.Testing;

namespace Cutover.Core.Tests.Configuration;

/// <summary>The <c>adminTls</c> section (the same shape as <c>tls</c>, see <see cref="ListenerTlsConfigTests"/>): which combinations are accepted, and what each bad file is told.</summary>
public sealed class AdminTlsConfigTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    [Fact]
    public void LoadFile_PemFilesNamedRelatively_AreReadFromTheConfigFilesFolder()
    {
        var config = _certificates.Write("cutover.yaml", Config("certificate: server.pem\n  key: server.key"));

        var definition = ConfigLoader.LoadFile(config);

        var tls = Assert.IsType<ListenerTls>(definition.AdminTls).Certificates.Default;
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Equal("CN=localhost", tls.Certificate.Subject);
        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(_certificates.CertificateFile).Thumbprint, tls.Certificate.Thumbprint);
        Assert.Equal("https", definition.Admin.Scheme);
    }

    [Fact]
    public void LoadFile_PemFileWithItsChain_KeepsTheChainToSendWithIt()
    {
        _certificates.Write("chained.pem", File.ReadAllText(_certificates.CertificateFile) + "\n" + File.ReadAllText(_certificates.CaFile));
        var config = _certificates.Write("cutover.yaml", Config("certificate: chained.pem\n  key: server.key"));

        var tls = ConfigLoader.LoadFile(config).AdminTls!.Certificates.Default;

        Assert.Equal("CN=localhost", tls.Certificate.Subject);
        Assert.Equal("CN=Cutover Test CA", Assert.Single(tls.Chain).Subject);
    }

    [Fact]
    public void Load_PfxWithItsPassword_LoadsTheCertificateWithItsKey()
    {
        var definition = ConfigLoader.Load(Config($"pfx: {_certificates.PfxFile}\n  password: {TestCertificates.PfxPassword}"), "cutover.yaml");

        var tls = definition.AdminTls!.Certificates.Default;
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Equal("CN=localhost", tls.Certificate.Subject);
    }

    [Fact]
    public void Load_HttpsAdminWithoutAdminTls_SaysToAddIt() =>
        Assert.Equal(
            "cutover.yaml: admin: 'https://127.0.0.1:8443/' asks for https, but there is no adminTls section with the certificate to serve it; " +
            "add adminTls with certificate and key (PEM files), or pfx (a PKCS#12 file) with its password, or listen on http://HOST:PORT",
            Assert.Single(Errors("admin: https://127.0.0.1:8443\nmigrations: []")));

    [Fact]
    public void Load_AdminTlsWithHttpAdmin_SaysTheCertificateWouldNeverBeUsed() =>
        Assert.Equal(
            "cutover.yaml:3: adminTls: is given, but admin 'http://127.0.0.1:8081/' is not https, so the certificate would never be used; " +
            "make admin https://127.0.0.1:8081, or remove adminTls",
            Assert.Single(Errors(Config($"certificate: {_certificates.CertificateFile}\n  key: {_certificates.KeyFile}", "http://127.0.0.1:8081"))));

    [Fact]
    public void Load_HttpsListenWithoutTls_SaysToAddIt() =>
        Assert.Equal(
            "cutover.yaml: listen: 'https://127.0.0.1:8443/' asks for https, but there is no tls section with the certificate to serve it; " +
            "add tls with certificate and key (PEM files), or pfx (a PKCS#12 file) with its password, or listen on http://HOST:PORT",
            Assert.Single(Errors("listen: https://127.0.0.1:8443\nmigrations: []")));

    [Theory]
    [InlineData("certificate: a.pem\n  key: a.key\n  pfx: a.pfx", "adminTls: gives both certificate/key (PEM) and pfx; keep one of them: certificate and key, or pfx")]
    [InlineData("password: secret", "adminTls: names no certificate; give certificate and key (PEM files), or pfx (a PKCS#12 file) with its password")]
    [InlineData("certificate: \"\"\n  key: \"\"", "adminTls: names no certificate; give certificate and key (PEM files), or pfx (a PKCS#12 file) with its password")]
    public void Load_SectionOfTheWrongShape_SaysWhatToGive(string section, string expected) =>
        Assert.Contains(expected, Assert.Single(Errors(Config(section))), StringComparison.Ordinal);

    [Fact]
    public void Load_CertificateWithoutKey_SaysTheKeyIsMissing() =>
        Assert.Equal(
            $"cutover.yaml:3: adminTls.key: is missing; give the PEM file of the private key of adminTls.certificate ('{_certificates.CertificateFile}')",
            Assert.Single(Errors(Config($"certificate: {_certificates.CertificateFile}"))));

    [Fact]
    public void Load_KeyWithoutCertificate_SaysTheCertificateIsMissing() =>
        Assert.Equal(
            $"cutover.yaml:3: adminTls.certificate: is missing; give the PEM file of the certificate whose private key adminTls.key ('{_certificates.KeyFile}') holds",
            Assert.Single(Errors(Config($"key: {_certificates.KeyFile}"))));

    [Fact]
    public void LoadFile_MissingFiles_NameEachFileAndTheFolderTheyWereLookedFor()
    {
        var config = _certificates.Write("cutover.yaml", Config("certificate: missing.pem\n  key: missing.key"));

        var errors = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(config)).Errors.Select(e => e.ToString()).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Equal(
            $"{config}:3: adminTls.certificate: 'missing.pem' cannot be read (Could not find file '{Path.Combine(_certificates.Folder, "missing.pem")}'); " +
            $"give the path of a PEM certificate file (a relative path is read from {_certificates.Folder})",
            errors[0]);
        Assert.StartsWith($"{config}:3: adminTls.key: 'missing.key' cannot be read (Could not find file", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateFileHoldingNoCertificate_SaysItHoldsNone() =>
        Assert.Equal(
            $"cutover.yaml:3: adminTls.certificate: '{_certificates.KeyFile}' holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block); " +
            "give the certificate in PEM form, optionally followed by its chain",
            Assert.Single(Errors(Config($"certificate: {_certificates.KeyFile}\n  key: {_certificates.KeyFile}"))));

    [Fact]
    public void Load_KeyFileHoldingNoKey_SaysItHoldsNone() =>
        Assert.Equal(
            $"cutover.yaml:3: adminTls.key: '{_certificates.CertificateFile}' holds no PEM private key (a '-----BEGIN PRIVATE KEY-----' block); " +
            "give the certificate's private key in PEM form",
            Assert.Single(Errors(Config($"certificate: {_certificates.CertificateFile}\n  key: {_certificates.CertificateFile}"))));

    [Fact]
    public void Load_KeyOfAnotherCertificate_SaysItIsNotTheCertificatesKey()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var other = _certificates.Issue("other", now.AddDays(-1), now.AddDays(30));
        var otherKey = Path.Combine(_certificates.Folder, "other.key");

        var error = Assert.Single(Errors(Config($"certificate: {_certificates.CertificateFile}\n  key: {otherKey}")));

        Assert.StartsWith($"cutover.yaml:3: adminTls.key: '{otherKey}' is not the private key of the certificate in '{_certificates.CertificateFile}' (", error, StringComparison.Ordinal);
        Assert.EndsWith("); give the key the certificate was issued for", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EncryptedKey_SaysToDecryptItOrUsePfx()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var encrypted = _certificates.Write("encrypted.key", key.ExportEncryptedPkcs8PrivateKeyPem("secret",
            new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 1000)));

        Assert.Equal(
            $"cutover.yaml:3: adminTls.key: '{encrypted}' holds an encrypted private key, which Cutover cannot open; " +
            "decrypt it (openssl pkey -in KEY -out PLAIN), or give certificate and key as pfx with its password",
            Assert.Single(Errors(Config($"certificate: {_certificates.CertificateFile}\n  key: {encrypted}"))));
    }

    [Fact]
    public void Load_PasswordWithPemFiles_SaysItIsOnlyForPfx() =>
        Assert.Equal(
            "cutover.yaml:3: adminTls.password: is only used with pfx; give key as an unencrypted PEM file (openssl pkey -in KEY -out PLAIN), or use pfx with its password",
            Assert.Single(Errors(Config($"certificate: {_certificates.CertificateFile}\n  key: {_certificates.KeyFile}\n  password: secret"))));

    [Fact]
    public void Load_ExpiredCertificate_SaysWhenItExpired()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var expired = _certificates.Issue("expired", now.AddDays(-20), now.AddDays(-2));
        var file = Path.Combine(_certificates.Folder, "expired.pem");

        Assert.Equal(
            $"cutover.yaml:3: adminTls.certificate: '{file}' holds a certificate (CN=localhost) that expired on {expired.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; renew it and give the new file",
            Assert.Single(Errors(Config($"certificate: {file}\n  key: {Path.Combine(_certificates.Folder, "expired.key")}"))));
    }

    [Fact]
    public void Load_CertificateNotValidYet_SaysFromWhen()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var early = _certificates.Issue("early", now.AddDays(2), now.AddDays(20));
        var file = Path.Combine(_certificates.Folder, "early.pem");

        Assert.Equal(
            $"cutover.yaml:3: adminTls.certificate: '{file}' holds a certificate (CN=localhost) that is not valid before {early.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; " +
            "give a certificate valid now, or check this machine's clock",
            Assert.Single(Errors(Config($"certificate: {file}\n  key: {Path.Combine(_certificates.Folder, "early.key")}"))));
    }

    [Fact]
    public void Load_PfxWithAWrongPassword_SaysItDoesNotOpenTheFileWithoutRepeatingIt()
    {
        var error = Assert.Single(Errors(Config($"pfx: {_certificates.PfxFile}\n  password: not-the-password")));

        Assert.Equal($"cutover.yaml:3: adminTls.password: does not open '{_certificates.PfxFile}'; give the password the file was exported with", error);
        Assert.DoesNotContain("not-the-password", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PfxWithoutItsPassword_SaysOneIsNeeded() =>
        Assert.Equal(
            $"cutover.yaml:3: adminTls.password: is missing, and '{_certificates.PfxFile}' is protected by one; give the password the file was exported with",
            Assert.Single(Errors(Config($"pfx: {_certificates.PfxFile}"))));

    [Fact]
    public void Load_PfxThatIsPem_SaysItIsNotPkcs12() =>
        Assert.Equal(
            $"cutover.yaml:3: adminTls.pfx: '{_certificates.CertificateFile}' is not a PKCS#12 (.pfx, .p12) file; " +
            "export the certificate with its private key as PKCS#12, or give PEM files as certificate and key",
            Assert.Single(Errors(Config($"pfx: {_certificates.CertificateFile}"))));

    [Fact]
    public void Load_PfxWithoutPrivateKey_SaysToExportTheKeyWithIt()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(_certificates.CertificateFile);
        var pfx = Path.Combine(_certificates.Folder, "nokey.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "pw"));

        Assert.Equal(
            $"cutover.yaml:3: adminTls.pfx: '{pfx}' holds no private key, so it cannot serve TLS; export the certificate together with its private key",
            Assert.Single(Errors(Config($"pfx: {pfx}\n  password: pw"))));
    }

    [Fact]
    public void Load_SeveralProblems_AreReportedAtOnce()
    {
        var errors = Errors($"""
            listen: https://127.0.0.1:8443
            admin: http://127.0.0.1:8081
            adminTls:
              certificate: {_certificates.Folder}/none.pem
              password: secret
            migrations: []
            """);

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("listen: 'https://127.0.0.1:8443/' asks for https, but there is no tls section", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("adminTls: is given, but admin 'http://127.0.0.1:8081/' is not https", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("adminTls.password: is only used with pfx", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("adminTls.key: is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("adminTls.certificate: '" + _certificates.Folder + "/none.pem' cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_SameFilesReadTwice_DifferInNothingEvenRenewedAndOtherFilesAreReportedAsAdminTls()
    {
        var pem = Config($"certificate: {_certificates.CertificateFile}\n  key: {_certificates.KeyFile}");
        var running = ConfigLoader.Load(pem, "cutover.yaml");
        var now = TimeProvider.System.GetUtcNow();
        using var renewed = _certificates.Issue("renewed", now.AddDays(-1), now.AddDays(90));

        Assert.Empty(DefinitionDifferences.Settings(running, ConfigLoader.Load(pem, "cutover.yaml")));

        // A certificate renewed in the same files is reloaded while Cutover runs: nothing for a restart to change.
        File.Copy(Path.Combine(_certificates.Folder, "renewed.pem"), _certificates.CertificateFile, overwrite: true);
        File.Copy(Path.Combine(_certificates.Folder, "renewed.key"), _certificates.KeyFile, overwrite: true);
        Assert.Empty(DefinitionDifferences.Settings(running, ConfigLoader.Load(pem, "cutover.yaml")));
        var renewedFile = Config($"certificate: {_certificates.Folder}/renewed.pem\n  key: {_certificates.Folder}/renewed.key");
        Assert.Equal("adminTls", Assert.Single(DefinitionDifferences.Settings(running, ConfigLoader.Load(renewedFile, "cutover.yaml"))).Field);
    }

    public void Dispose() => _certificates.Dispose();

    /// <summary>A file with an https admin (or <paramref name="admin"/>) and <paramref name="section"/> as its adminTls section, its keys starting on line 3.</summary>
    private static string Config(string section, string admin = "https://127.0.0.1:8443") => $"""
        admin: {admin}
        adminTls:
          {section}
        migrations: []
        """;

    private static List<string> Errors(string yaml) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Load(yaml, "cutover.yaml")).Errors.Select(e => e.ToString()).ToList();
}
