namespace Cutover.Core.Security;

/// <summary>
/// The certificates one TLS listener serves: a default, and more chosen by the host name a client
/// asks for in its handshake (SNI). Immutable: a reload makes a new set and swaps it whole, so a
/// handshake never sees half of one.
/// </summary>
public sealed class ServedCertificates
{
    private readonly Dictionary<string, TlsCertificate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TlsCertificate> _wildcards = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Serves <paramref name="fallback"/> to every client whose host name no item of <paramref name="sni"/> names (the first item naming a host wins).</summary>
    public ServedCertificates(TlsCertificate fallback, IReadOnlyList<SniCertificate> sni)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(sni);
        Default = fallback;
        Sni = sni;
        foreach (var item in sni)
        {
            foreach (var host in item.Hosts)
            {
                if (host.StartsWith("*.", StringComparison.Ordinal))
                {
                    _wildcards.TryAdd(host[2..], item.Certificate);
                }
                else
                {
                    _exact.TryAdd(host, item.Certificate);
                }
            }
        }
    }

    /// <summary>The certificate for clients that name no host, or one no SNI item names.</summary>
    public TlsCertificate Default { get; }

    /// <summary>The certificates chosen by host name, in config order.</summary>
    public IReadOnlyList<SniCertificate> Sni { get; }

    /// <summary>Every certificate served, the default first.</summary>
    public IEnumerable<TlsCertificate> All => Sni.Select(s => s.Certificate).Prepend(Default);

    /// <summary>
    /// The certificate for a client that asked for <paramref name="host"/> (null or empty when it
    /// named none): an exact name first, then a wildcard of the name's parent domain (one label,
    /// as certificates' own wildcards match), else the default.
    /// </summary>
    public TlsCertificate For(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return Default;
        }

        host = host.TrimEnd('.');
        if (_exact.TryGetValue(host, out var exact))
        {
            return exact;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcards.TryGetValue(host[(dot + 1)..], out var wildcard) ? wildcard : Default;
    }
}
