namespace Cutover.Core.Configuration;

/// <summary>
/// One item of a <c>tls.sni</c> list as written: a certificate (PEM certificate and key, or a
/// PKCS#12 file) served to clients that ask for one of <see cref="Hosts"/>, so one listener can
/// serve several names whose certificates differ.
/// </summary>
public sealed record SniConfig
{
    /// <summary>The host names (<c>api.example.com</c>) and wildcards of one label (<c>*.internal.example.com</c>) this certificate is served for.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>A PEM file holding the certificate, optionally followed by its chain.</summary>
    public string? Certificate { get; init; }

    /// <summary>A PEM file holding the certificate's private key, unencrypted.</summary>
    public string? Key { get; init; }

    /// <summary>A PKCS#12 file holding the certificate with its private key; instead of <see cref="Certificate"/> and <see cref="Key"/>.</summary>
    public string? Pfx { get; init; }

    /// <summary>The password of <see cref="Pfx"/>; none by default.</summary>
    public string? Password { get; init; }

    /// <summary>The line the item starts on, for error messages.</summary>
    public int Line { get; init; }
}
