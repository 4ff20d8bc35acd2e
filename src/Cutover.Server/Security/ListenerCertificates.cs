using System.Net.Security;
using System.Security.Authentication;
using Cutover.Core.Configuration;
using Cutover.Core.Security;
using Cutover.Server.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Security;

/// <summary>
/// The certificates a TLS listener serves, chosen per handshake by the host name the client asks
/// for (SNI), and read again when their files change: every <see cref="PollInterval"/> the files'
/// sizes and write times are compared with the last seen, and a changed set is loaded with the
/// checks of validation. A valid set replaces the served one whole for new handshakes (connections
/// already open keep theirs); an invalid one is refused and logged, and the last good set keeps
/// serving. The poll runs on the host's clock, so a test moves it by hand.
/// </summary>
internal sealed class ListenerCertificates : IDisposable
{
    /// <summary>How often the files are looked at: every 10 seconds.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    private readonly ListenerTls _tls;
    private readonly string _listener;
    private readonly string _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _polling = new();
    private readonly ITimer _timer;
    private volatile Serving _serving;
    private IReadOnlyList<FileStamp> _stamps;

    /// <summary>
    /// Serves <paramref name="tls"/>'s certificates for <paramref name="listener"/> (how logs name
    /// it), and watches its files on <paramref name="time"/>; <paramref name="source"/> is the
    /// config file, which messages name.
    /// </summary>
    public ListenerCertificates(ListenerTls tls, string listener, string source, TimeProvider time, ILogger logger)
    {
        _tls = tls;
        _listener = listener;
        _source = source;
        _time = time;
        _logger = logger;
        _stamps = FileStamp.Of(tls.Files);
        _serving = new Serving(tls.Certificates);
        CutoverLog.CertificatesServed(logger, listener, tls.Protocols.HasFlag(SslProtocols.Tls12) ? "1.2 and 1.3" : "1.3", Describe(tls.Certificates));
        _timer = time.CreateTimer(_ => Poll(), null, PollInterval, PollInterval);
    }

    /// <summary>The certificates new handshakes get.</summary>
    public ServedCertificates Current => _serving.Certificates;

    /// <summary>
    /// What a handshake for <paramref name="host"/> is served with: its certificate and chain, the
    /// TLS versions allowed, and ALPN offering HTTP/2 before HTTP/1.1.
    /// </summary>
    public SslServerAuthenticationOptions OptionsFor(string? host) => new()
    {
        ServerCertificateContext = _serving.ContextFor(host),
        EnabledSslProtocols = _tls.Protocols,
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],

        // HTTP/2 forbids renegotiation (RFC 9113, 9.2.1), and HTTP/1.1 has no need of it here.
        AllowRenegotiation = false,
    };

    /// <summary>Looks at the files once: when any changed since last looked at, loads them and serves them if they are valid.</summary>
    public void Poll()
    {
        lock (_polling)
        {
            var stamps = FileStamp.Of(_tls.Files);
            if (stamps.SequenceEqual(_stamps))
            {
                return;
            }

            // Remembered even when the new files are refused: a broken set is reported once, and tried again when it changes again.
            _stamps = stamps;
            var (certificates, problems) = _tls.Reload(_source, _time.GetUtcNow());
            if (certificates is null)
            {
                CutoverLog.CertificatesRefused(_logger, _listener, string.Join("; ", problems), Describe(_serving.Certificates));
                return;
            }

            _serving = new Serving(certificates);
            CutoverLog.CertificatesReloaded(_logger, _listener, Describe(certificates));
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    private static string Describe(ServedCertificates certificates) =>
        string.Join(", ", certificates.All.Select(c => $"{c.Certificate.Subject} (expires {c.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}, SHA-1 {c.Certificate.Thumbprint})"));

    /// <summary>A set of certificates with the handshake contexts made from them once, rather than at every handshake.</summary>
    private sealed class Serving
    {
        private readonly Dictionary<TlsCertificate, SslStreamCertificateContext> _contexts = new(ReferenceEqualityComparer.Instance);

        public Serving(ServedCertificates certificates)
        {
            Certificates = certificates;
            foreach (var certificate in certificates.All)
            {
                // Offline: the chain is the one the files give, not one fetched from the network at a handshake.
                _contexts.TryAdd(certificate, SslStreamCertificateContext.Create(certificate.Certificate, certificate.Chain, offline: true));
            }
        }

        public ServedCertificates Certificates { get; }

        public SslStreamCertificateContext ContextFor(string? host) => _contexts[Certificates.For(host)];
    }

    /// <summary>What a poll compares of a file: whether it exists, its size and its last write time.</summary>
    private readonly record struct FileStamp(string Path, bool Exists, long Length, DateTime Written)
    {
        public static IReadOnlyList<FileStamp> Of(IReadOnlyList<string> paths) => [.. paths.Select(Of)];

        private static FileStamp Of(string path)
        {
            var file = new FileInfo(path);
            return file.Exists ? new FileStamp(path, true, file.Length, file.LastWriteTimeUtc) : new FileStamp(path, false, 0, default);
        }
    }
}
