using System.Security.Authentication;
using Cutover.Core.Security;

namespace Cutover.Core.Configuration;

/// <summary>
/// A validated <c>tls</c> or <c>adminTls</c> section: the certificates loaded when the config was
/// validated, the TLS versions served, and the section as written with the folder its paths are
/// read from, so a running listener can read the same files again when they change
/// (<see cref="Reload"/>). Two are equal when they name the same files, hosts and versions: the
/// certificates in those files may be renewed in place while Cutover runs, which is a reload,
/// not a change that needs a restart.
/// </summary>
public sealed class ListenerTls : IEquatable<ListenerTls>
{
    internal ListenerTls(string section, TlsConfig written, string folder, ServedCertificates certificates, SslProtocols protocols)
    {
        Section = section;
        Written = written;
        Folder = folder;
        Certificates = certificates;
        Protocols = protocols;
    }

    /// <summary>The section's key (<c>tls</c> or <c>adminTls</c>), which messages about it name.</summary>
    public string Section { get; }

    /// <summary>The section as written.</summary>
    public TlsConfig Written { get; }

    /// <summary>The folder relative paths are read from: the config file's.</summary>
    public string Folder { get; }

    /// <summary>The certificates as they were when the config was validated.</summary>
    public ServedCertificates Certificates { get; }

    /// <summary>The TLS versions served: 1.2 and 1.3 by default, 1.3 alone with <c>minVersion: "1.3"</c>.</summary>
    public SslProtocols Protocols { get; }

    /// <summary>Every file the section names, as full paths: what a running listener watches.</summary>
    public IReadOnlyList<string> Files =>
    [
        .. new[] { Written.Certificate, Written.Key, Written.Pfx }
            .Concat(Written.Sni.SelectMany(s => new[] { s.Certificate, s.Key, s.Pfx }))
            .Where(path => !string.IsNullOrWhiteSpace(path))
            .Select(path => Path.GetFullPath(path!.Trim(), Folder))
            .Distinct(StringComparer.Ordinal),
    ];

    /// <summary>
    /// Reads the section's files again with the checks of validation, as of <paramref name="now"/>:
    /// the new certificates, or null with every problem (each a config error naming the key, the file and the fix).
    /// </summary>
    public (ServedCertificates? Certificates, IReadOnlyList<ConfigError> Problems) Reload(string source, DateTimeOffset now)
    {
        var problems = new List<ConfigError>();
        var certificates = TlsValidator.Load(Written, Section, Folder, now, (line, key, message) => problems.Add(new ConfigError(source, line, null, key, message)));
        return (certificates, problems);
    }

    /// <inheritdoc/>
    public bool Equals(ListenerTls? other) =>
        other is not null && Section == other.Section && Protocols == other.Protocols && Identity == other.Identity;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ListenerTls);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Identity);

    // The files as full paths with what reads them (passwords, hosts); lines left out.
    private string Identity => CanonicalText.Of(Written with
    {
        Line = 0,
        MinVersion = null,
        Sni = [.. Written.Sni.Select(s => s with { Line = 0 })],
    }) + "|" + string.Join("|", Files);
}
