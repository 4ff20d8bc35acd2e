using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks the <c>adminTls</c> section against the <c>admin</c> address and loads its certificate,
/// so a file that would not serve (missing, unreadable, a key of another certificate, a wrong
/// password, an expired certificate) is reported by <c>cutover validate</c> and never half-starts
/// <c>serve</c>. A password is never repeated in a message.
/// </summary>
internal static class AdminTlsValidator
{
    private const string Choice = "certificate and key (PEM files), or pfx (a PKCS#12 file) with its password";

    /// <summary>
    /// Validates <paramref name="tls"/> for <paramref name="admin"/> (null when the address itself
    /// was invalid), reading relative paths from <paramref name="folder"/> (the current folder when
    /// null); <paramref name="fail"/> gets (line, key, message).
    /// </summary>
    public static TlsCertificate? Validate(AdminTlsConfig? tls, Uri? admin, string? folder, DateTimeOffset now, Action<int, string, string> fail)
    {
        var https = admin?.Scheme == Uri.UriSchemeHttps;
        if (tls is null)
        {
            if (https)
            {
                fail(0, "admin", $"'{admin}' asks for https, but there is no adminTls section with the certificate to serve it; add adminTls with {Choice}, or listen on http://HOST:PORT");
            }

            return null;
        }

        void Fail(string key, string message) => fail(tls.Line, key, message);
        if (admin is not null && !https)
        {
            Fail("adminTls", $"is given, but admin '{admin}' is not https, so the certificate would never be used; make admin https://{admin.Authority}, or remove adminTls");
        }

        tls = tls with { Certificate = Given(tls.Certificate), Key = Given(tls.Key), Pfx = Given(tls.Pfx) };
        var pem = tls.Certificate is not null || tls.Key is not null;
        if (pem && tls.Pfx is not null)
        {
            Fail("adminTls", "gives both certificate/key (PEM) and pfx; keep one of them: certificate and key, or pfx");
            return null;
        }

        if (!pem && tls.Pfx is null)
        {
            Fail("adminTls", $"names no certificate; give {Choice}");
            return null;
        }

        var files = new CertificateFiles(folder ?? Directory.GetCurrentDirectory(), now, Fail);
        return pem ? files.LoadPem(tls) : files.LoadPfx(tls);
    }

    private static string? Given(string? path) => string.IsNullOrWhiteSpace(path) ? null : path.Trim();

    private static string Time(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Reads the section's files, each failure reported against the key that named the file.</summary>
    private sealed class CertificateFiles(string folder, DateTimeOffset now, Action<string, string> fail)
    {
        public TlsCertificate? LoadPem(AdminTlsConfig tls)
        {
            if (tls.Password is not null)
            {
                fail("adminTls.password", "is only used with pfx; give key as an unencrypted PEM file (openssl pkey -in KEY -out PLAIN), or use pfx with its password");
            }

            if (tls.Certificate is null)
            {
                fail("adminTls.certificate", $"is missing; give the PEM file of the certificate whose private key adminTls.key ('{tls.Key}') holds");
            }

            if (tls.Key is null)
            {
                fail("adminTls.key", $"is missing; give the PEM file of the private key of adminTls.certificate ('{tls.Certificate}')");
            }

            var certificateText = tls.Certificate is null ? null : ReadText("adminTls.certificate", tls.Certificate, "a PEM certificate file");
            var keyText = tls.Key is null ? null : ReadText("adminTls.key", tls.Key, "a PEM private key file");
            var chain = certificateText is null ? null : Certificates(tls.Certificate!, certificateText);
            var current = chain is not null && Current("adminTls.certificate", tls.Certificate!, chain[0]);
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
                fail("adminTls.key", $"'{tls.Key}' is not the private key of the certificate in '{tls.Certificate}' ({Reason(e)}); give the key the certificate was issued for");
                return null;
            }
        }

        public TlsCertificate? LoadPfx(AdminTlsConfig tls)
        {
            var bytes = Read("adminTls.pfx", tls.Pfx!, "a PKCS#12 file", File.ReadAllBytes);
            if (bytes is null)
            {
                return null;
            }

            if (X509Certificate2.GetCertContentType(bytes) != X509ContentType.Pkcs12)
            {
                fail("adminTls.pfx", $"'{tls.Pfx}' is not a PKCS#12 (.pfx, .p12) file; export the certificate with its private key as PKCS#12, or give PEM files as certificate and key");
                return null;
            }

            X509Certificate2Collection all;
            try
            {
                all = X509CertificateLoader.LoadPkcs12Collection(bytes, tls.Password);
            }
            catch (CryptographicException)
            {
                fail("adminTls.password", tls.Password is null
                    ? $"is missing, and '{tls.Pfx}' is protected by one; give the password the file was exported with"
                    : $"does not open '{tls.Pfx}'; give the password the file was exported with");
                return null;
            }

            var certificate = all.FirstOrDefault(c => c.HasPrivateKey);
            if (certificate is null)
            {
                fail("adminTls.pfx", $"'{tls.Pfx}' holds no private key, so it cannot serve TLS; export the certificate together with its private key");
                return null;
            }

            all.Remove(certificate);
            return Current("adminTls.pfx", tls.Pfx!, certificate) ? new TlsCertificate(certificate, all) : null;
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
                fail("adminTls.certificate", $"'{file}' holds a PEM certificate that does not load ({Reason(e)}); give the certificate in PEM form");
                return null;
            }

            if (certificates.Count == 0)
            {
                fail("adminTls.certificate", $"'{file}' holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block); give the certificate in PEM form, optionally followed by its chain");
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

            fail("adminTls.key", labels.Contains("ENCRYPTED PRIVATE KEY")
                ? $"'{file}' holds an encrypted private key, which Cutover cannot open; decrypt it (openssl pkey -in KEY -out PLAIN), or give certificate and key as pfx with its password"
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
    }
}
