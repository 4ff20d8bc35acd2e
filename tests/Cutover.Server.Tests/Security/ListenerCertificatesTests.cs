using Cutover.Core.Configuration;
using Cutover.Server.Security;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Testing;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Security;

/// <summary>What an operator reads when a listener's certificate files change: reloaded, or refused with the last good set kept.</summary>
public sealed class ListenerCertificatesTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly ManualTime _time = new(TimeProvider.System.GetUtcNow());
    private readonly RecordingLogger<ListenerCertificates> _log = new();

    [Fact]
    public void Poll_FilesRenewed_ServesTheNewCertificateAndLogsIt()
    {
        using var certificates = Watch();
        var renewed = Renew("renewed");

        _time.Advance(ListenerCertificates.PollInterval);

        Assert.Equal(renewed, certificates.Current.Default.Certificate.Thumbprint);
        var reloaded = Assert.Single(_log.Messages(1070));
        Assert.Contains("the data plane reloaded after their files changed; new handshakes get CN=localhost (expires ", reloaded, StringComparison.Ordinal);
        Assert.Contains(renewed, reloaded, StringComparison.Ordinal);
    }

    [Fact]
    public void Poll_KeyOfAnotherCertificate_KeepsTheLastGoodOneAndLogsAnErrorNamingTheFileOnce()
    {
        using var certificates = Watch();
        var serving = certificates.Current.Default.Certificate.Thumbprint;
        using var other = _certificates.Issue("other", _time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddDays(90));

        File.Copy(Path.Combine(_certificates.Folder, "other.key"), _certificates.KeyFile, overwrite: true);
        _time.Advance(ListenerCertificates.PollInterval * 3);

        Assert.Equal(serving, certificates.Current.Default.Certificate.Thumbprint);
        Assert.Empty(_log.Messages(1070));
        var refused = Assert.Single(_log.Entries, e => e.Event.Id == 1071);
        Assert.Equal(LogLevel.Error, refused.Level);
        Assert.StartsWith("The changed TLS files of the data plane were refused, and the certificates loaded before keep serving (CN=localhost", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"test.yaml:3: tls.key: '{_certificates.KeyFile}' is not the private key of the certificate in '{_certificates.CertificateFile}'", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("give the key the certificate was issued for. Fix the files; they are read again when they change", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Poll_BrokenFilesFixed_ServesTheFixedSet()
    {
        using var certificates = Watch();
        File.WriteAllText(_certificates.CertificateFile, "not a certificate");
        _time.Advance(ListenerCertificates.PollInterval);
        var renewed = Renew("renewed");

        _time.Advance(ListenerCertificates.PollInterval);

        Assert.Single(_log.Messages(1071));
        Assert.Equal(renewed, certificates.Current.Default.Certificate.Thumbprint);
    }

    [Fact]
    public void Poll_NothingChanged_ReadsNothingAndLogsNothing()
    {
        using var certificates = Watch();
        var served = certificates.Current;

        _time.Advance(ListenerCertificates.PollInterval * 6);

        Assert.Same(served, certificates.Current);
        Assert.Equal([1072], _log.Entries.Select(e => e.Event.Id));
    }

    public void Dispose() => _certificates.Dispose();

    private ListenerCertificates Watch()
    {
        var definition = ConfigLoader.Load($"""
            listen: https://127.0.0.1:0
            tls:
              certificate: {_certificates.CertificateFile}
              key: {_certificates.KeyFile}
            migrations: []
            """, "test.yaml");
        return new ListenerCertificates(definition.Tls!, "the data plane", "test.yaml", _time, _log);
    }

    /// <summary>Writes a renewed certificate and its key over the served files; returns its thumbprint.</summary>
    private string Renew(string name)
    {
        using var renewed = _certificates.Issue(name, _time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddDays(90));
        File.Copy(Path.Combine(_certificates.Folder, name + ".pem"), _certificates.CertificateFile, overwrite: true);
        File.Copy(Path.Combine(_certificates.Folder, name + ".key"), _certificates.KeyFile, overwrite: true);
        return renewed.Thumbprint;
    }
}
