using Cutover.Core.Shadow;
using Cutover.Server.Diagnostics;
using Cutover.Store;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Shadow;

/// <summary>
/// Moves shadow evidence from memory to the store. A batch the store does not take goes back
/// into its ledger and is written with the next flush, so a store outage delays evidence but
/// loses no count; the ledgers' caps keep memory bounded meanwhile.
/// </summary>
internal sealed class EvidenceWriter(IShadowEvidenceStore store, ShadowEvidence evidence, ILogger<EvidenceWriter> logger) : IDisposable
{
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);

    // One flush at a time: a reader that flushes and then reads the store must not overtake a batch another flush is still writing.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Loads the noise the store learned earlier, so excluded paths stay excluded after a restart.</summary>
    public async Task LoadNoiseAsync(IEnumerable<string> migrations, CancellationToken cancellationToken)
    {
        foreach (var migration in migrations)
        {
            evidence.NoiseOf(migration).Load(await store.GetNoiseAsync(migration, cancellationToken));
        }
    }

    /// <summary>Writes what every ledger gathered; failures are logged once per outage and retried by the next flush.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var ledger in evidence.Ledgers)
        {
            await FlushAsync(ledger, cancellationToken);
        }
    }

    /// <summary>Writes what one migration's ledger gathered.</summary>
    public Task FlushAsync(string migration, CancellationToken cancellationToken) => FlushAsync(evidence.LedgerOf(migration), cancellationToken);

    private async Task FlushAsync(EvidenceLedger ledger, CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(ledger, cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task WriteAsync(EvidenceLedger ledger, CancellationToken cancellationToken)
    {
        var batch = ledger.Drain();
        if (batch.IsEmpty)
        {
            return;
        }

        try
        {
            await store.RecordShadowAsync(batch, cancellationToken);
            if (Forget(ledger.Migration))
            {
                CutoverLog.EvidenceStoredAgain(logger, ledger.Migration);
            }
        }
        catch (Exception e)
        {
            ledger.Merge(batch);
            if (Remember(ledger.Migration))
            {
                CutoverLog.EvidenceNotStored(logger, ledger.Migration, store.Description, e.Message);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }
        }
    }

    private bool Remember(string migration)
    {
        lock (_failing)
        {
            return _failing.Add(migration);
        }
    }

    private bool Forget(string migration)
    {
        lock (_failing)
        {
            return _failing.Remove(migration);
        }
    }

    public void Dispose() => _flushing.Dispose();
}
