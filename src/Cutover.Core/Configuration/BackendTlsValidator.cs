using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a backend's <c>tls</c> section against its URL and loads its files, so a CA file or a
/// client certificate that would not work is reported by <c>cutover validate</c> rather than by
/// the first request's 502. A client certificate is read and checked as a listener's is
/// (<see cref="CertificateFiles"/>), so an expired one is refused here too. A password is never repeated in a message.
/// </summary>
internal static class BackendTlsValidator
{
    private static readonly CertificateKeys ClientKeys = new(string.Empty, "clientCertificate", "clientKey", "pfx", "password", "prove Cutover's identity to the backend");

    /// <summary>
    /// Validates <paramref name="tls"/> of the backend at <paramref name="url"/> (null when the URL
    /// itself was invalid), written under <paramref name="key"/>, reading relative paths from
    /// <paramref name="folder"/>, judging a client certificate's dates at <paramref name="now"/>; <paramref name="fail"/> gets (key, message).
    /// </summary>
    public static BackendTls? Validate(BackendTlsConfig tls, Uri? url, string key, string folder, DateTimeOffset now, Action<string, string> fail)
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
        var client = ClientCertificate(tls, folder, now, Fail);
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

    private static TlsCertificate? ClientCertificate(BackendTlsConfig tls, string folder, DateTimeOffset now, Action<string, string> fail)
    {
        var pem = tls.ClientCertificate is not null || tls.ClientKey is not null;
        if (pem && tls.Pfx is not null)
        {
            fail(string.Empty, "gives both clientCertificate/clientKey (PEM) and pfx; keep one of them");
            return null;
        }

        if (!pem && tls.Pfx is null)
        {
            if (tls.Password is not null)
            {
                fail("password", "is only used with pfx; give the client certificate as pfx with its password, or as clientCertificate and clientKey (PEM files)");
            }

            return null;
        }

        var files = new CertificateFileNames(tls.ClientCertificate, tls.ClientKey, tls.Pfx, tls.Password);
        var reader = new CertificateFiles(ClientKeys, folder, now, fail);
        return pem ? reader.LoadPem(files) : reader.LoadPfx(files);
    }
}
