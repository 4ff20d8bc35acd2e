using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cutover.Kernel.Security;

/// <summary>
/// Which certificates a client of the admin API (the CLI, the SDK's link) accepts: the system's
/// trusted ones, and those issued by the certificate authorities of a CA file (<c>--ca</c>,
/// <c>Cutover:CaFile</c>), so a control plane with a certificate from a private CA is reached with
/// every check still made (chain, validity, host name) instead of with checks turned off. It also
/// keeps why it last refused a certificate, because the exception a refused handshake throws does
/// not say.
/// </summary>
public sealed class AdminTrust
{
    // Server authentication, as the system's own check of a server's certificate asks for.
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _authorities;
    private string? _refusal;

    private AdminTrust(string? caFile, X509Certificate2Collection authorities)
    {
        CaFile = caFile;
        _authorities = authorities;
    }

    /// <summary>The CA file whose authorities are trusted besides the system's; null when only the system's are.</summary>
    public string? CaFile { get; }

    /// <summary>Why the last certificate was refused (such as "it is not trusted: UntrustedRoot"); null when none was.</summary>
    public string? Refusal => Volatile.Read(ref _refusal);

    /// <summary>Trusts only the system's certificate authorities.</summary>
    public static AdminTrust SystemStore() => new(null, []);

    /// <summary>
    /// Trusts the certificate authorities in <paramref name="caFile"/> (PEM, one or more
    /// certificates) besides the system's; null with a <paramref name="problem"/> that says what is
    /// wrong with the file, for the caller to put after the setting that named it.
    /// </summary>
    public static AdminTrust? FromCaFile(string caFile, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(caFile);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(File.ReadAllText(caFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            problem = $"'{caFile}' cannot be read as PEM certificates ({e.Message.TrimEnd('.')})";
            return null;
        }

        if (authorities.Count == 0)
        {
            problem = $"'{caFile}' holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block)";
            return null;
        }

        problem = null;
        return new AdminTrust(caFile, authorities);
    }

    /// <summary>A handler for the admin API's <see cref="HttpClient"/> that checks server certificates this way.</summary>
    public SocketsHttpHandler CreateHandler() => new() { SslOptions = { RemoteCertificateValidationCallback = Accepts } };

    private bool Accepts(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only a chain the system does not trust is judged again; a certificate for another host, or none, stays refused.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
        {
            return Refuse(errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                ? "its certificate is not issued for this host name"
                : "it sent no certificate");
        }

        if (_authorities.Count == 0)
        {
            return Refuse($"its certificate is not trusted: {Status(chain)}");
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);

        // A private CA rarely publishes revocation lists, and .NET's own check of a server makes no revocation check by default either.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(leaf) || Refuse($"its certificate is not trusted by the system or by {CaFile}: {Status(custom)}");
    }

    private bool Refuse(string why)
    {
        Volatile.Write(ref _refusal, why);
        return false;
    }

    private static string Status(X509Chain? chain) =>
        chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() is { Count: > 0 } status ? string.Join(", ", status) : "its chain does not build";
}
