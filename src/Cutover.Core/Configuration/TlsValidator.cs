using System.Security.Authentication;
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
        var fallback = Certificate(new CertificateFileNames(tls.Certificate, tls.Key, tls.Pfx, tls.Password), section, tls.Line, folder, now, fail);
        var sni = new List<SniCertificate>();
        var failed = fallback is null;
        for (var i = 0; i < tls.Sni.Count; i++)
        {
            var item = tls.Sni[i];
            var prefix = $"{section}.sni[{i + 1}]";
            var hosts = Hosts(item, prefix, (key, message) => fail(item.Line, key, message));
            var certificate = Certificate(new CertificateFileNames(item.Certificate, item.Key, item.Pfx, item.Password), prefix, item.Line, folder, now, fail);
            failed |= hosts is null || certificate is null;
            if (hosts is not null && certificate is not null)
            {
                sni.Add(new SniCertificate(hosts, certificate));
            }
        }

        return failed ? null : new ServedCertificates(fallback!, sni);
    }

    private static TlsCertificate? Certificate(CertificateFileNames files, string section, int line, string folder, DateTimeOffset now, Action<int, string, string> fail)
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

        var reader = new CertificateFiles(new CertificateKeys($"{section}.", "certificate", "key", "pfx", "password", "serve TLS"), folder, now, Fail);
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

}
