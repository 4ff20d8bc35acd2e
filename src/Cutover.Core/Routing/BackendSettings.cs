using Cutover.Core.Security;

namespace Cutover.Core.Routing;

/// <summary>
/// How Cutover talks to one backend besides its address: the HTTP version and, over https, the
/// TLS settings. Equal when the
/// settings are, so <c>cutover apply</c> of the file a server runs with finds nothing changed.
/// </summary>
public sealed class BackendSettings : IEquatable<BackendSettings>
{
    /// <summary>Settings speaking <paramref name="protocol"/>, over TLS as <paramref name="tls"/> says (the system's trust when null).</summary>
    public BackendSettings(BackendProtocol protocol, BackendTls? tls = null)
    {
        Protocol = protocol;
        Tls = tls;
    }

    /// <summary>What a backend written as a plain URL gets: <see cref="BackendProtocol.Auto"/>.</summary>
    public static BackendSettings Default { get; } = new(BackendProtocol.Auto);

    /// <summary>The HTTP version spoken to the backend.</summary>
    public BackendProtocol Protocol { get; }

    /// <summary>How the backend is connected to over https; null for the system's trusted CAs and no client certificate.</summary>
    public BackendTls? Tls { get; }

    /// <inheritdoc/>
    public bool Equals(BackendSettings? other) => other is not null && Protocol == other.Protocol && Equals(Tls, other.Tls);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BackendSettings);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Protocol, Tls);
}
