using Cutover.Kernel.Routing;

namespace Cutover.Client.State;

/// <summary>
/// What the control plane says about one migration, as the SDK decides by it: the same mode and
/// weight the proxy routes by, so a code-level migration follows the same plans, gates and rollbacks.
/// </summary>
/// <param name="Name">The migration's name, as in the control plane's config.</param>
/// <param name="Mode">Its mode.</param>
/// <param name="Weight">Its canary weight.</param>
/// <param name="Version">The control store's version of this state; a lower version never replaces a higher one.</param>
public sealed record MigrationSetting(string Name, MigrationMode Mode, Weight Weight, long Version)
{
    /// <summary>The candidate's share in sticky buckets (<see cref="StickyBucket"/>), worked out once per change rather than per decision.</summary>
    public int CandidateBuckets { get; } = Weight.CandidateBuckets;

    /// <summary>The migration's part of every sticky key's hash (<see cref="StickyBucket.Seed"/>), worked out once per change so a decision hashes only the key.</summary>
    public ulong StickySeed { get; } = StickyBucket.Seed(Name);
}
