namespace Cutover.Core.Configuration;

/// <summary>
/// A <c>tls</c> or <c>adminTls</c> section as written: the certificates an <c>https://</c>
/// listener serves, so what clients send through it never crosses a network in clear. The default
/// certificate is either a PEM certificate and key, or a PKCS#12 file; <see cref="Sni"/> adds
/// certificates chosen by the host name a client asks for. Relative paths are read from the
/// config file's folder, and the files are watched while Cutover runs.
/// </summary>
public sealed record TlsConfig
{
    /// <summary>A PEM file holding the certificate, optionally followed by its chain (intermediates), which is sent with it.</summary>
    public string? Certificate { get; init; }

    /// <summary>A PEM file holding the certificate's private key, unencrypted.</summary>
    public string? Key { get; init; }

    /// <summary>A PKCS#12 (.pfx, .p12) file holding the certificate with its private key, and optionally its chain; instead of <see cref="Certificate"/> and <see cref="Key"/>.</summary>
    public string? Pfx { get; init; }

    /// <summary>The password of <see cref="Pfx"/>; none by default.</summary>
    public string? Password { get; init; }

    /// <summary>More certificates, each served to clients that ask (by SNI) for one of its hosts; none by default, and then every client gets the default certificate.</summary>
    public IReadOnlyList<SniConfig> Sni { get; init; } = [];

    /// <summary>The oldest TLS version accepted: <c>1.2</c> or <c>1.3</c>. The default value is 1.2.</summary>
    public string? MinVersion { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
