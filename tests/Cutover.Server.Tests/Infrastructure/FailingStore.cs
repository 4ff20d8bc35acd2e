using Cutover.Core.Shadow;
using Cutover.Core.State;
using Cutover.Store;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>
/// A real SQLite store that can be made to fail on demand, as a database server that went away
/// would: the one fault a loopback test cannot cause in SQLite itself.
/// </summary>
public sealed class FailingStore(IControlStore inner) : IControlStore
{
    /// <summary>Fail every call as an unreachable database does.</summary>
    public bool Down { get; set; }

    /// <summary>Fail every call with an error the store did not classify, as a bug or corrupt data would.</summary>
    public bool Broken { get; set; }

    public string Description => inner.Description;

    public bool CreatedAfresh => inner.CreatedAfresh;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Guard(() => inner.InitializeAsync(cancellationToken));

    public Task<IReadOnlyList<MigrationState>> GetStatesAsync(CancellationToken cancellationToken = default) => Guard(() => inner.GetStatesAsync(cancellationToken));

    public Task<MigrationState?> GetStateAsync(string name, CancellationToken cancellationToken = default) => Guard(() => inner.GetStateAsync(name, cancellationToken));

    public Task<IReadOnlyList<MigrationState>> SeedAsync(IReadOnlyList<StateChange> initial, CancellationToken cancellationToken = default) =>
        Guard(() => inner.SeedAsync(initial, cancellationToken));

    public Task<MigrationState> ChangeAsync(StateChange change, CancellationToken cancellationToken = default) => Guard(() => inner.ChangeAsync(change, cancellationToken));

    public Task SaveBakeAsync(string name, int step, TimeSpan baked, CancellationToken cancellationToken = default) => Guard(() => inner.SaveBakeAsync(name, step, baked, cancellationToken));

    public Task SaveTriggerHoldsAsync(
        string name, int step, DateTimeOffset stepStartedAt, IReadOnlyDictionary<string, DateTimeOffset> holds, CancellationToken cancellationToken = default) =>
        Guard(() => inner.SaveTriggerHoldsAsync(name, step, stepStartedAt, holds, cancellationToken));

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetTriggerHoldsAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(() => inner.GetTriggerHoldsAsync(name, cancellationToken));

    public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) => Guard(() => inner.GetAuditAsync(query, cancellationToken));

    public Task<bool> WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) => Guard(() => inner.WaitForChangeAsync(maxWait, cancellationToken));

    public Task RecordShadowAsync(ShadowBatch batch, CancellationToken cancellationToken = default) => Guard(() => inner.RecordShadowAsync(batch, cancellationToken));

    public Task<DivergenceReport> GetDivergencesAsync(string migration, CancellationToken cancellationToken = default) =>
        Guard(() => inner.GetDivergencesAsync(migration, cancellationToken));

    public Task<DivergenceSample?> GetSampleAsync(string migration, long id, CancellationToken cancellationToken = default) =>
        Guard(() => inner.GetSampleAsync(migration, id, cancellationToken));

    public Task<IReadOnlyList<NoiseEntry>> GetNoiseAsync(string migration, CancellationToken cancellationToken = default) => Guard(() => inner.GetNoiseAsync(migration, cancellationToken));

    public Task SaveMetricsAsync(IReadOnlyList<ReplicaBucket> buckets, CancellationToken cancellationToken = default) => Guard(() => inner.SaveMetricsAsync(buckets, cancellationToken));

    public Task<IReadOnlyList<ReplicaBucket>> GetMetricsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Guard(() => inner.GetMetricsAsync(since, cancellationToken));

    public Task<int> PruneMetricsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => Guard(() => inner.PruneMetricsAsync(before, cancellationToken));

    public Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken = default) =>
        Guard(() => inner.TryLeaseAsync(name, holder, term, cancellationToken));

    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default) => Guard(() => inner.ReleaseLeaseAsync(name, holder, cancellationToken));

    public Task<string?> GetLeaseHolderAsync(string name, CancellationToken cancellationToken = default) => Guard(() => inner.GetLeaseHolderAsync(name, cancellationToken));

    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => Down ? Task.FromResult(false) : inner.PingAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private T Guard<T>(Func<T> call) =>
        Down ? throw new StoreUnavailableException($"The store {Description} is down (test).")
        : Broken ? throw new InvalidDataException($"The store {Description} returned something unreadable (test).")
        : call();
}
