using Cutover.Kernel.Shadow;

namespace Cutover.Core.Shadow;

/// <summary>
/// What the shadow path learned about one migration since its last flush to the store: counts
/// to add per endpoint and differing path, new samples, and newly learned noise. Counts are
/// deltas, so replicas that flush to one store add up instead of overwriting each other.
/// </summary>
/// <param name="Migration">The migration the evidence belongs to.</param>
/// <param name="Endpoints">Per endpoint, the comparisons and divergences to add.</param>
/// <param name="Samples">Divergent pairs kept as evidence; the store keeps the newest <see cref="DivergenceLimits.SamplesPerPath"/> per endpoint and path.</param>
/// <param name="Noise">Paths newly found to differ between two legacy answers to the same request.</param>
public sealed record ShadowBatch(
    string Migration,
    IReadOnlyList<EndpointTally> Endpoints,
    IReadOnlyList<DivergenceSample> Samples,
    IReadOnlyList<NoiseEntry> Noise)
{
    /// <summary>Whether the batch holds nothing to write.</summary>
    public bool IsEmpty => Endpoints.Count == 0 && Samples.Count == 0 && Noise.Count == 0;
}
