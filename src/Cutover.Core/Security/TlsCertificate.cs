using System.Security.Cryptography.X509Certificates;

namespace Cutover.Core.Security;

/// <summary>
/// A server's TLS certificate, loaded and checked once when the config is validated, so
/// <c>cutover validate</c> reports a file that would not serve and the host only hands it to Kestrel.
/// Two are equal when they hold the same certificates, so <c>cutover apply</c> of the file a
/// server runs with finds nothing changed.
/// </summary>
public sealed class TlsCertificate : IEquatable<TlsCertificate>
{
    /// <summary>Holds <paramref name="certificate"/> (with its private key) and the <paramref name="chain"/> sent with it.</summary>
    public TlsCertificate(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        Certificate = certificate;
        Chain = chain;
    }

    /// <summary>The server's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediate certificates sent with it, so clients that trust only the root can build the chain; often none.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <inheritdoc/>
    public bool Equals(TlsCertificate? other) =>
        other is not null && Certificate.Thumbprint == other.Certificate.Thumbprint
        && Chain.Select(c => c.Thumbprint).SequenceEqual(other.Chain.Select(c => c.Thumbprint), StringComparer.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TlsCertificate);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Certificate.Thumbprint);
}
