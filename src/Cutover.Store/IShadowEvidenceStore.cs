using Cutover.Core.Shadow;
using Cutover.Kernel.Shadow;

namespace Cutover.Store;

/// <summary>
/// What shadowing found, kept per migration so every replica adds to one report and a restarted
/// proxy keeps the noise it learned: counts per endpoint and path, the newest samples, and noise.
/// </summary>
public interface IShadowEvidenceStore : IStore
{
    /// <summary>
    /// Adds a batch of shadow evidence in one transaction: endpoint and path counts are added to
    /// what is stored (first seen kept, last seen moved on), samples inserted and the oldest
    /// beyond <see cref="DivergenceLimits.SamplesPerPath"/> per endpoint and path deleted, noise
    /// entries inserted unless already known. Replicas sharing a store add up.
    /// </summary>
    Task RecordShadowAsync(ShadowBatch batch, CancellationToken cancellationToken = default);

    /// <summary>A migration's stored divergence evidence; empty when nothing was compared.</summary>
    Task<DivergenceReport> GetDivergencesAsync(string migration, CancellationToken cancellationToken = default);

    /// <summary>One stored sample of a migration, or null when there is none with that id.</summary>
    Task<DivergenceSample?> GetSampleAsync(string migration, long id, CancellationToken cancellationToken = default);

    /// <summary>The noise learned for a migration, so a restarted proxy keeps excluding it.</summary>
    Task<IReadOnlyList<NoiseEntry>> GetNoiseAsync(string migration, CancellationToken cancellationToken = default);
}
