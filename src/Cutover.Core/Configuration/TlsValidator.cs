using System.Globalization;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>
/// Checks a <c>tls</c> or <c>adminTls</c> section against the address it serves (<c>listen</c>,
/// <c>admin</c>) and loads its certificates, so a file that would not serve (missing, unreadable,
/// a key of another certificate, a wrong password, an expired certificate) is reported by
/// <c>cutover validate</c> and never half-starts <c>serve</c>. A running listener reloads changed
/// files through <see cref="Load"/>, with the same checks and messages. A password is never
/// repeated in a message.
/// </summary>
internal static class TlsValidator
{
    private const string Choice = "certificate and key (PEM files), or pfx (a PKCS#12 file) with its password";

    /// <summary>
    /// Validates <paramref name="tls"/>, the section named <paramref name="section"/>, for
    /// <paramref name="address"/> (the value of <paramref name="addressKey"/>; null when it was
    /// invalid), reading relative paths from <paramref name="folder"/> (the current folder when
    /// null); <paramref name="fail"/> gets (line, key, message).
    /// </summary>
    public static ListenerTls? Validate(TlsConfig? tls, string section, Uri? address, string addressKey, string? folder, DateTimeOffset now, Action<int, string, string> fail)
    {
        var https = address?.Scheme == Uri.UriSchemeHttps;
        if (tls is null)
        {
            if (https)
            {
                fail(0, addressKey, $"'{address}' asks for https, but there is no {section} section with the certificate to serve it; add {section} with {Choice}, or listen on http://HOST:PORT");
            }

            return null;
        }

        if (address is not null && !https)
        {
            fail(tls.Line, section, $"is given, but {addressKey} '{address}' is not https, so the certificate would never be used; make {addressKey} https://{address.Authority}, or remove {section}");
        }

        folder ??= Directory.GetCurrentDirectory();
        var certificates = Load(tls, section, folder, now, fail);
        var protocols = Protocols(tls, section, fail);
        return certificates is null || protocols is null ? null : new ListenerTls(section, tls, folder, certificates, protocols.Value);
    }

    /// <summary>
    /// Reads and checks every certificate of <paramref name="tls"/> (the section named
    /// <paramref name="section"/>) from <paramref name="folder"/>: at validation, and again when a
    /// running listener sees its files change. Null, with each problem given to <paramref name="fail"/>
    /// as (line, key, message), when any would not serve.
    /// </summary>
    public static ServedCertificates? Load(TlsConfig tls, string section, string folder, DateTimeOffset now, Action<int, string, string> fail)
    {
        var fallback = Certificate(Files.Of(tls), section, tls.Line, folder, now, fail);
        var sni = new List<SniCertificate>();
        var failed = fallback is null;
        for (var i = 0; i < tls.Sni.Count; i++)
        {
            var item = tls.Sni[i];
            var prefix = $"{section}.sni[{i + 1}]";
            var hosts = Hosts(item, prefix, (key, message) => fail(item.Line, key, message));
            var certificate = Certificate(Files.Of(item), prefix, item.Line, folder, now, fail);
            failed |= hosts is null || certificate is null;
            if (hosts is not null && certificate is not null)
            {
                sni.Add(new SniCertificate(hosts, certificate));
            }
        }

        return failed ? null : new ServedCertificates(fallback!, sni);
    }

    private static TlsCertificate? Certificate(Files files, string section, int line, string folder, DateTimeOffset now, Action<int, string, string> fail)
    {
        void Fail(string key, string message) => fail(line, key, message);
        files = files with { Certificate = Given(files.Certificate), Key = Given(files.Key), Pfx = Given(files.Pfx) };
        var pem = files.Certificate is not null || files.Key is not null;
        if (pem && files.Pfx is not null)
        {
            Fail(section, "gives both certificate/key (PEM) and pfx; keep one of them: certificate and key, or pfx");
            return null;
        }

        if (!pem && files.Pfx is null)
        {
            Fail(section, $"names no certificate; give {Choice}");
            return null;
        }

        var reader = new CertificateFiles(section, folder, now, Fail);
        return pem ? reader.LoadPem(files) : reader.LoadPfx(files);
    }

    private static List<string>? Hosts(SniConfig item, string prefix, Action<string, string> fail)
    {
        if (item.Hosts.Count == 0)
        {
            fail($"{prefix}.hosts", "is missing or empty; give the host names this certificate is served for, e.g. hosts: [api.example.com, \"*.internal.example.com\"]");
            return null;
        }

        var hosts = new List<string>();
        foreach (var written in item.Hosts)
        {
            var host = written.Trim().TrimEnd('.');
            var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (Uri.CheckHostName(name) != UriHostNameType.Dns)
            {
                fail($"{prefix}.hosts", $"'{written}' is not a host name; give a name such as api.example.com, or *. and a domain (*.internal.example.com) for every name one label under it");
                continue;
            }

            hosts.Add(host);
        }

        return hosts.Count == item.Hosts.Count ? hosts : null;
    }

    private static SslProtocols? Protocols(TlsConfig tls, string section, Action<int, string, string> fail)
    {
        switch (tls.MinVersion?.Trim())
        {
            case null or "1.2":
                return SslProtocols.Tls12 | SslProtocols.Tls13;
            case "1.3":
                return SslProtocols.Tls13;
            default:
                fail(tls.Line, $"{section}.minVersion", $"'{tls.MinVersion}' is not a TLS version Cutover serves; use \"1.2\" (the default: TLS 1.2 and 1.3) or \"1.3\" (TLS 1.3 only); older versions are never served");
                return null;
        }
    }

    private static string? Given(string? path) => string.IsNullOrWhiteSpace(path) ? null : path.Trim();

    private static string Time(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The files of one certificate, from a section or one of its SNI items.</summary>
    private sealed record Files(string? Certificate, string? Key, string? Pfx, string? Password)
    {
        public static Files Of(TlsConfig tls) => new(tls.Certificate, tls.Key, tls.Pfx, tls.Password);

        public static Files Of(SniConfig item) => new(item.Certificate, item.Key, item.Pfx, item.Password);
    }

    /// <summary>Reads one certificate's files, each failure reported against the key (under <paramref name="section"/>) that named the file.</summary>
    private sealed class CertificateFiles(string section, string folder, DateTimeOffset now, Action<string, string> fail)
    {
        public TlsCertificate? LoadPem(Files tls)
        {
            if (tls.Password is not null)
            {
                fail($"{section}.password", "is only used with pfx; give key as an unencrypted PEM file (openssl pkey -in KEY -out PLAIN), or use pfx with its password");
            }

            if (tls.Certificate is null)
            {
                fail($"{section}.certificate", $"is missing; give the PEM file of the certificate whose private key {section}.key ('{tls.Key}') holds");
            }

            if (tls.Key is null)
            {
                fail($"{section}.key", $"is missing; give the PEM file of the private key of {section}.certificate ('{tls.Certificate}')");
            }

            var certificateText = tls.Certificate is null ? null : ReadText($"{section}.certificate", tls.Certificate, "a PEM certificate file");
            var keyText = tls.Key is null ? null : ReadText($"{section}.key", tls.Key, "a PEM private key file");
            var chain = certificateText is null ? null : Certificates(tls.Certificate!, certificateText);
            var current = chain is not null && Current($"{section}.certificate", tls.Certificate!, chain[0]);
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
                fail($"{section}.key", $"'{tls.Key}' is not the private key of the certificate in '{tls.Certificate}' ({Reason(e)}); give the key the certificate was issued for");
                return null;
            }
        }

        public TlsCertificate? LoadPfx(Files tls)
        {
            var bytes = Read($"{section}.pfx", tls.Pfx!, "a PKCS#12 file", File.ReadAllBytes);
            if (bytes is null)
            {
                return null;
            }

            if (X509Certificate2.GetCertContentType(bytes) != X509ContentType.Pkcs12)
            {
                fail($"{section}.pfx", $"'{tls.Pfx}' is not a PKCS#12 (.pfx, .p12) file; export the certificate with its private key as PKCS#12, or give PEM files as certificate and key");
                return null;
            }

            X509Certificate2Collection all;
            try
            {
                all = X509CertificateLoader.LoadPkcs12Collection(bytes, tls.Password);
            }
            catch (CryptographicException)
            {
                fail($"{section}.password", tls.Password is null
                    ? $"is missing, and '{tls.Pfx}' is protected by one; give the password the file was exported with"
                    : $"does not open '{tls.Pfx}'; give the password the file was exported with");
                return null;
            }

            var certificate = all.FirstOrDefault(c => c.HasPrivateKey);
            if (certificate is null)
            {
                fail($"{section}.pfx", $"'{tls.Pfx}' holds no private key, so it cannot serve TLS; export the certificate together with its private key");
                return null;
            }

            all.Remove(certificate);
            return Current($"{section}.pfx", tls.Pfx!, certificate) ? new TlsCertificate(certificate, all) : null;
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
                fail($"{section}.certificate", $"'{file}' holds a PEM certificate that does not load ({Reason(e)}); give the certificate in PEM form");
                return null;
            }

            if (certificates.Count == 0)
            {
                fail($"{section}.certificate", $"'{file}' holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block); give the certificate in PEM form, optionally followed by its chain");
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

            fail($"{section}.key", labels.Contains("ENCRYPTED PRIVATE KEY")
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
