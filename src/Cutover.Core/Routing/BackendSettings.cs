namespace Cutover.Core.Routing;

/// <summary>
/// How Cutover talks to one backend besides its address: the HTTP version. Equal when the
/// settings are, so <c>cutover apply</c> of the file a server runs with finds nothing changed.
/// </summary>
public sealed class BackendSettings : IEquatable<BackendSettings>
{
    /// <summary>Settings speaking <paramref name="protocol"/>.</summary>
    public BackendSettings(BackendProtocol protocol)
    {
        Protocol = protocol;
    }

    /// <summary>What a backend written as a plain URL gets: <see cref="BackendProtocol.Auto"/>.</summary>
    public static BackendSettings Default { get; } = new(BackendProtocol.Auto);

    /// <summary>The HTTP version spoken to the backend.</summary>
    public BackendProtocol Protocol { get; }

    /// <inheritdoc/>
    public bool Equals(BackendSettings? other) => other is not null && Protocol == other.Protocol;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BackendSettings);

    /// <inheritdoc/>
    public override int GetHashCode() => Protocol.GetHashCode();
}
