using Cutover.Kernel.Routing;

namespace Cutover.Core.Routing;

/// <summary>
/// The <see cref="BackendSettings"/> of a migration's two sides. Equal when both sides' settings
/// are, so <c>cutover apply</c> compares them by value rather than by reference.
/// </summary>
public sealed class SideBackends : IEquatable<SideBackends>
{
    /// <summary>The settings of <paramref name="legacy"/> and <paramref name="candidate"/>.</summary>
    public SideBackends(BackendSettings legacy, BackendSettings candidate)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(candidate);
        Legacy = legacy;
        Candidate = candidate;
    }

    /// <summary>Both sides with <see cref="BackendSettings.Default"/>, as for two plain URLs.</summary>
    public static SideBackends Default { get; } = new(BackendSettings.Default, BackendSettings.Default);

    /// <summary>The legacy backend's settings.</summary>
    public BackendSettings Legacy { get; }

    /// <summary>The candidate backend's settings.</summary>
    public BackendSettings Candidate { get; }

    /// <summary>The settings of <paramref name="side"/>.</summary>
    public BackendSettings Of(Side side) => side == Side.Candidate ? Candidate : Legacy;

    /// <inheritdoc/>
    public bool Equals(SideBackends? other) => other is not null && Legacy.Equals(other.Legacy) && Candidate.Equals(other.Candidate);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SideBackends);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Legacy, Candidate);
}
