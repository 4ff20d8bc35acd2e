namespace Cutover.Core.Configuration;

/// <summary>
/// A backend's <c>tls</c> section as written: whom Cutover trusts when it connects to the backend
/// over https, and the certificate it shows when the backend asks for one (mTLS). Relative paths
/// are read from the config file's folder.
/// </summary>
public sealed record BackendTlsConfig
{
    /// <summary>A PEM file of the CA certificates the backend's certificate must chain to, instead of the system's trusted CAs.</summary>
    public string? Ca { get; init; }

    /// <summary>A PEM file of the certificate Cutover shows the backend (mTLS), with <see cref="ClientKey"/>.</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>A PEM file of the client certificate's private key, unencrypted.</summary>
    public string? ClientKey { get; init; }

    /// <summary>A PKCS#12 file of the client certificate with its key, instead of <see cref="ClientCertificate"/> and <see cref="ClientKey"/>.</summary>
    public string? Pfx { get; init; }

    /// <summary>The password of <see cref="Pfx"/>; none by default.</summary>
    public string? Password { get; init; }

    /// <summary>Whether the backend's certificate is accepted unchecked (anyone on the path could pose as it). The default value is false.</summary>
    public bool? InsecureSkipVerify { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
