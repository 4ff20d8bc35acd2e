namespace Cutover.Core.Configuration;

/// <summary>
/// The <c>adminTls</c> section as written: the certificate the admin API serves <c>https://</c>
/// with, so what clients send to it and read from it never crosses a network in clear. Either a
/// PEM certificate and key, or a PKCS#12 file. Relative paths are read from the config file's folder.
/// </summary>
public sealed record AdminTlsConfig
{
    /// <summary>A PEM file holding the certificate, optionally followed by its chain (intermediates), which is sent with it.</summary>
    public string? Certificate { get; init; }

    /// <summary>A PEM file holding the certificate's private key, unencrypted.</summary>
    public string? Key { get; init; }

    /// <summary>A PKCS#12 (.pfx, .p12) file holding the certificate with its private key, and optionally its chain; instead of <see cref="Certificate"/> and <see cref="Key"/>.</summary>
    public string? Pfx { get; init; }

    /// <summary>The password of <see cref="Pfx"/>; none by default.</summary>
    public string? Password { get; init; }

    /// <summary>The line the section starts on, for error messages.</summary>
    public int Line { get; init; }
}
