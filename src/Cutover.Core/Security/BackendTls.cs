using System.Security.Cryptography.X509Certificates;

namespace Cutover.Core.Security;

/// <summary>
/// How Cutover connects to one backend over TLS, loaded and checked when the config is validated:
/// the CAs it trusts instead of the system's, the client certificate it shows (mTLS), or no
/// check at all. Equal when the certificates and the flag are, so backends with the same
/// settings share one connection pool and <c>cutover apply</c> of the running file finds nothing changed.
/// </summary>
public sealed class BackendTls : IEquatable<BackendTls>
{
    private readonly string _identity;

    // Hashed once: the data plane looks up a backend's outbound client by these settings on every request to it.
    private readonly int _hash;

    /// <summary>Settings trusting <paramref name="authorities"/> (the system's CAs when null), showing <paramref name="clientCertificate"/>, or checking nothing when <paramref name="insecureSkipVerify"/>.</summary>
    public BackendTls(X509Certificate2Collection? authorities, TlsCertificate? clientCertificate, bool insecureSkipVerify)
    {
        Authorities = authorities;
        ClientCertificate = clientCertificate;
        InsecureSkipVerify = insecureSkipVerify;
        var trusted = authorities is null ? "system" : string.Join(',', authorities.Select(c => c.Thumbprint));
        _identity = $"{trusted}|{clientCertificate?.Certificate.Thumbprint}|{insecureSkipVerify}";
        _hash = StringComparer.Ordinal.GetHashCode(_identity);
    }

    /// <summary>The CAs the backend's certificate must chain to; null for the system's trusted CAs.</summary>
    public X509Certificate2Collection? Authorities { get; }

    /// <summary>The certificate, with its key and chain, shown to a backend that asks for one; null for none.</summary>
    public TlsCertificate? ClientCertificate { get; }

    /// <summary>Whether the backend's certificate is accepted without any check.</summary>
    public bool InsecureSkipVerify { get; }

    /// <inheritdoc/>
    public bool Equals(BackendTls? other) => other is not null && string.Equals(_identity, other._identity, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BackendTls);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;
}
