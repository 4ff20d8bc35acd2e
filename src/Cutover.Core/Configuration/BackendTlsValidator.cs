using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a backend's <c>tls</c> section against its URL and loads its files, so a CA file or a
/// client certificate that would not work is reported by <c>cutover validate</c> rather than by
/// the first request's 502. A password is never repeated in a message.
/// </summary>
internal static class BackendTlsValidator
{
    /// <summary>
    /// Validates <paramref name="tls"/> of the backend at <paramref name="url"/> (null when the URL
    /// itself was invalid), written under <paramref name="key"/>, reading relative paths from
    /// <paramref name="folder"/>; <paramref name="fail"/> gets (key, message).
    /// </summary>
    public static BackendTls? Validate(BackendTlsConfig tls, Uri? url, string key, string folder, Action<string, string> fail)
    {
        var failures = 0;
        void Fail(string at, string message)
        {
            failures++;
            fail($"{key}.tls{(at.Length == 0 ? string.Empty : "." + at)}", message);
        }

        if (url is not null && url.Scheme != Uri.UriSchemeHttps)
        {
            Fail(string.Empty, $"is given, but '{url}' is plain http, so no TLS is spoken to it; make the URL https://{url.Authority}{url.AbsolutePath}, or remove tls");
        }

        var skip = tls.InsecureSkipVerify == true;
        if (skip && tls.Ca is not null)
        {
            Fail("ca", "is not used with insecureSkipVerify: true, which checks no certificate at all; keep ca (and remove insecureSkipVerify) to trust a private CA");
        }

        var authorities = tls.Ca is null || skip ? null : Authorities(tls.Ca, Path.GetFullPath(tls.Ca, folder), Fail);
        var client = ClientCertificate(tls, folder, Fail);
        return failures > 0 ? null : new BackendTls(authorities, client, skip);
    }

    private static X509Certificate2Collection? Authorities(string file, string path, Action<string, string> fail)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            fail("ca", $"'{file}' cannot be read as PEM certificates ({e.Message.TrimEnd('.')}); give the PEM file of the CA that issued the backend's certificate");
            return null;
        }

        if (certificates.Count == 0)
        {
            fail("ca", $"'{file}' holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block); give the PEM file of the CA that issued the backend's certificate");
            return null;
        }

        return certificates;
    }

    private static TlsCertificate? ClientCertificate(BackendTlsConfig tls, string folder, Action<string, string> fail)
    {
        var pem = tls.ClientCertificate is not null || tls.ClientKey is not null;
        if (pem && tls.Pfx is not null)
        {
            fail(string.Empty, "gives both clientCertificate/clientKey (PEM) and pfx; keep one of them");
            return null;
        }

        if (tls.Password is not null && tls.Pfx is null)
        {
            fail("password", "is only used with pfx; give clientKey as an unencrypted PEM file, or the client certificate as pfx with its password");
            return null;
        }

        if (pem)
        {
            if (tls.ClientCertificate is null || tls.ClientKey is null)
            {
                fail(tls.ClientCertificate is null ? "clientCertificate" : "clientKey",
                    "is missing; mTLS needs both clientCertificate and clientKey (PEM files), or pfx with its password");
                return null;
            }

            try
            {
                using var loaded = X509Certificate2.CreateFromPemFile(Path.GetFullPath(tls.ClientCertificate, folder), Path.GetFullPath(tls.ClientKey, folder));

                // A key loaded from PEM lives only in memory, which some platforms' TLS cannot use; a PKCS#12 round trip gives it one it can.
                return new TlsCertificate(X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null), []);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                fail("clientCertificate", $"'{tls.ClientCertificate}' with key '{tls.ClientKey}' does not load ({e.Message.TrimEnd('.')}); give the PEM certificate and its unencrypted PEM private key");
                return null;
            }
        }

        if (tls.Pfx is null)
        {
            return null;
        }

        try
        {
            var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(Path.GetFullPath(tls.Pfx, folder), tls.Password);
            var certificate = all.FirstOrDefault(c => c.HasPrivateKey);
            if (certificate is null)
            {
                fail("pfx", $"'{tls.Pfx}' holds no private key, so it cannot prove Cutover's identity; export the client certificate together with its key");
                return null;
            }

            all.Remove(certificate);
            return new TlsCertificate(certificate, all);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            fail("pfx", $"'{tls.Pfx}' does not open ({e.Message.TrimEnd('.')}); give a PKCS#12 file of the client certificate with its key, and its password");
            return null;
        }
    }
}
