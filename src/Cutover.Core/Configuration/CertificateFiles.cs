using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>The files of one certificate as a config names them: PEM certificate and key, or a PKCS#12 file and its password.</summary>
internal sealed record CertificateFileNames(string? Certificate, string? Key, string? Pfx, string? Password);

/// <summary>
/// The config keys that name a certificate's files (<c>certificate</c>, or <c>clientCertificate</c>
/// for a backend), the section they are under (<c>adminTls.</c>, <c>tls.sni[2].</c>; an error
/// names the key with it, its sentence without), and what the certificate is for ("serve TLS"),
/// for the message about a file without a private key.
/// </summary>
internal sealed record CertificateKeys(string Section, string Certificate, string Key, string Pfx, string Password, string Purpose)
{
    /// <summary>A key as an error names it, under its section.</summary>
    public string At(string key) => Section + key;
}

/// <summary>
/// Reads one certificate with its private key from the files a config names (PEM certificate and
/// key, or a PKCS#12 file with its password) and checks that it would work now: readable, a key
/// that is the certificate's and not encrypted, a password that opens the file, valid today.
/// Listeners (<c>tls</c>, <c>adminTls</c>, their SNI items) and backends' client certificates
/// (<c>tls.clientCertificate</c>) read theirs alike; each failure is reported against the key
/// (<see cref="CertificateKeys"/>) that named the file, and a password is never repeated.
/// </summary>
internal sealed class CertificateFiles(CertificateKeys keys, string folder, DateTimeOffset now, Action<string, string> fail)
{
    public TlsCertificate? LoadPem(CertificateFileNames tls)
    {
        if (tls.Password is not null)
        {
            fail(keys.At(keys.Password), $"is only used with {keys.Pfx}; give {keys.Key} as an unencrypted PEM file (openssl pkey -in KEY -out PLAIN), or use {keys.Pfx} with its password");
        }

        if (tls.Certificate is null)
        {
            fail(keys.At(keys.Certificate), $"is missing; give the PEM file of the certificate whose private key {keys.At(keys.Key)} ('{tls.Key}') holds");
        }

        if (tls.Key is null)
        {
            fail(keys.At(keys.Key), $"is missing; give the PEM file of the private key of {keys.At(keys.Certificate)} ('{tls.Certificate}')");
        }

        var certificateText = tls.Certificate is null ? null : ReadText(keys.At(keys.Certificate), tls.Certificate, "a PEM certificate file");
        var keyText = tls.Key is null ? null : ReadText(keys.At(keys.Key), tls.Key, "a PEM private key file");
        var chain = certificateText is null ? null : Certificates(tls.Certificate!, certificateText);
        var current = chain is not null && Current(keys.At(keys.Certificate), tls.Certificate!, chain[0]);
        if (keyText is null || !HasKey(tls.Key!, keyText) || !current || tls.Password is not null)
        {
            return null;
        }

        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certificateText, keyText);

            // Windows' TLS cannot use a key held only in memory; a PKCS#12 round trip gives it one it can, and changes nothing elsewhere.
            var usable = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
            chain!.RemoveAt(0);
            return new TlsCertificate(usable, chain);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            fail(keys.At(keys.Key), $"'{tls.Key}' is not the private key of the certificate in '{tls.Certificate}' ({Reason(e)}); give the key the certificate was issued for");
            return null;
        }
    }

    public TlsCertificate? LoadPfx(CertificateFileNames tls)
    {
        var bytes = Read(keys.At(keys.Pfx), tls.Pfx!, "a PKCS#12 file", File.ReadAllBytes);
        if (bytes is null)
        {
            return null;
        }

        if (X509Certificate2.GetCertContentType(bytes) != X509ContentType.Pkcs12)
        {
            fail(keys.At(keys.Pfx), $"'{tls.Pfx}' is not a PKCS#12 (.pfx, .p12) file; export the certificate with its private key as PKCS#12, or give PEM files as {keys.Certificate} and {keys.Key}");
            return null;
        }

        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(bytes, tls.Password);
        }
        catch (CryptographicException)
        {
            fail(keys.At(keys.Password), tls.Password is null
                ? $"is missing, and '{tls.Pfx}' is protected by one; give the password the file was exported with"
                : $"does not open '{tls.Pfx}'; give the password the file was exported with");
            return null;
        }

        var certificate = all.FirstOrDefault(c => c.HasPrivateKey);
        if (certificate is null)
        {
            fail(keys.At(keys.Pfx), $"'{tls.Pfx}' holds no private key, so it cannot {keys.Purpose}; export the certificate together with its private key");
            return null;
        }

        all.Remove(certificate);
        return Current(keys.At(keys.Pfx), tls.Pfx!, certificate) ? new TlsCertificate(certificate, all) : null;
    }

    /// <summary>Whether <paramref name="certificate"/> is valid now; says why not against <paramref name="key"/>.</summary>
    private bool Current(string key, string file, X509Certificate2 certificate)
    {
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            fail(key, $"'{file}' holds a certificate ({certificate.Subject}) that expired on {Time(certificate.NotAfter)}; renew it and give the new file");
            return false;
        }

        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            fail(key, $"'{file}' holds a certificate ({certificate.Subject}) that is not valid before {Time(certificate.NotBefore)}; give a certificate valid now, or check this machine's clock");
            return false;
        }

        return true;
    }

    private X509Certificate2Collection? Certificates(string file, string text)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            fail(keys.At(keys.Certificate), $"'{file}' holds a PEM certificate that does not load ({Reason(e)}); give the certificate in PEM form");
            return null;
        }

        if (certificates.Count == 0)
        {
            fail(keys.At(keys.Certificate), $"'{file}' holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block); give the certificate in PEM form, optionally followed by its chain");
            return null;
        }

        return certificates;
    }

    private bool HasKey(string file, string text)
    {
        var labels = new List<string>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            labels.Add(rest[fields.Label].ToString());
            rest = rest[fields.Location.End..];
        }

        if (labels.Any(label => label.EndsWith("PRIVATE KEY", StringComparison.Ordinal) && !label.StartsWith("ENCRYPTED", StringComparison.Ordinal)))
        {
            return true;
        }

        fail(keys.At(keys.Key), labels.Contains("ENCRYPTED PRIVATE KEY")
            ? $"'{file}' holds an encrypted private key, which Cutover cannot open; decrypt it (openssl pkey -in KEY -out PLAIN), or give {keys.Certificate} and {keys.Key} as {keys.Pfx} with its password"
            : $"'{file}' holds no PEM private key (a '-----BEGIN PRIVATE KEY-----' block); give the certificate's private key in PEM form");
        return false;
    }

    private string? ReadText(string key, string file, string what) => Read(key, file, what, File.ReadAllText);

    private T? Read<T>(string key, string file, string what, Func<string, T> read)
        where T : class
    {
        var path = Path.GetFullPath(file, folder);
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fail(key, $"'{file}' cannot be read ({Reason(e)}); give the path of {what} (a relative path is read from {folder})");
            return null;
        }
    }

    private static string Reason(Exception e) => e.Message.TrimEnd('.');

    private static string Time(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
