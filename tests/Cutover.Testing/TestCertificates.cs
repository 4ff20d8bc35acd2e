using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cutover.Testing;

/// <summary>
/// A throwaway certificate authority and a server certificate it issued for 127.0.0.1 and
/// localhost, made at test time and written as PEM and PKCS#12 files into a folder of their own,
/// which disposing removes. Nothing is added to the system's trust store.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string PfxPassword = "pfx-password";

    private readonly X509Certificate2 _authority;

    private TestCertificates(string folder, X509Certificate2 authority)
    {
        Folder = folder;
        _authority = authority;
    }

    public string Folder { get; }

    /// <summary>The authority's certificate (PEM): what <c>--ca</c> and <c>CaFile</c> are given.</summary>
    public string CaFile => Path.Combine(Folder, "ca.pem");

    /// <summary>The server's certificate (PEM), for 127.0.0.1 and localhost.</summary>
    public string CertificateFile => Path.Combine(Folder, "server.pem");

    /// <summary>The server certificate's private key (PEM, unencrypted).</summary>
    public string KeyFile => Path.Combine(Folder, "server.key");

    /// <summary>The server's certificate with its key as PKCS#12, protected by <see cref="PfxPassword"/>.</summary>
    public string PfxFile => Path.Combine(Folder, "server.pfx");

    public static TestCertificates Create()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Cutover Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificates = new TestCertificates(Directory.CreateTempSubdirectory("cutover-tls-").FullName, request.CreateSelfSigned(now.AddDays(-30), now.AddYears(2)));
        File.WriteAllText(certificates.CaFile, certificates._authority.ExportCertificatePem());
        using var server = certificates.Issue("server", now.AddDays(-1), now.AddYears(1));
        File.WriteAllBytes(certificates.PfxFile, server.Export(X509ContentType.Pkcs12, PfxPassword));
        return certificates;
    }

    /// <summary>
    /// Issues another server certificate valid from <paramref name="notBefore"/> to
    /// <paramref name="notAfter"/> for <paramref name="host"/> (127.0.0.1 and localhost when null),
    /// written as NAME.pem and NAME.key; returns it with its key.
    /// </summary>
    public X509Certificate2 Issue(string name, DateTimeOffset notBefore, DateTimeOffset notAfter, string? host = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host ?? "localhost"}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (host is null)
        {
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(_authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        var withKey = issued.CopyWithPrivateKey(key);
        File.WriteAllText(Path.Combine(Folder, name + ".pem"), withKey.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Folder, name + ".key"), key.ExportPkcs8PrivateKeyPem());
        return withKey;
    }

    /// <summary>Writes <paramref name="contents"/> as NAME in the folder; returns its path.</summary>
    public string Write(string name, string contents)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
