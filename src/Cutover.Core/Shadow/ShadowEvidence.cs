using System.Collections.Concurrent;

namespace Cutover.Core.Shadow;

/// <summary>
/// The shadow state of every migration in this process: the noise learned and the evidence not
/// yet flushed to the store. Shared by the shadow workers that fill it and the flusher that
/// empties it, for the life of the process, so mode changes keep what was learned.
/// </summary>
public sealed class ShadowEvidence
{
    private readonly ConcurrentDictionary<string, (LearnedNoise Noise, EvidenceLedger Ledger)> _migrations = new(StringComparer.Ordinal);

    /// <summary>The noise learned for a migration.</summary>
    public LearnedNoise NoiseOf(string migration) => Of(migration).Noise;

    /// <summary>The unflushed evidence of a migration.</summary>
    public EvidenceLedger LedgerOf(string migration) => Of(migration).Ledger;

    /// <summary>Every ledger created so far.</summary>
    public IEnumerable<EvidenceLedger> Ledgers => _migrations.Values.Select(m => m.Ledger);

    private (LearnedNoise Noise, EvidenceLedger Ledger) Of(string migration) =>
        _migrations.GetOrAdd(migration, static name => (new LearnedNoise(), new EvidenceLedger(name)));
}
