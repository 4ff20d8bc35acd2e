namespace Cutover.Store;

/// <summary>
/// The control store as the proxy and its admin API see it: the roles they use together (migration
/// state with its audit log, shadow evidence, metrics buckets, leases) on one database, plus
/// what concerns the store as a whole. A class that needs one role takes that role's interface.
/// </summary>
public interface IControlStore : IMigrationStateStore, IShadowEvidenceStore, IMetricsBucketStore, ILeaseStore
{
    /// <summary>
    /// Whether <see cref="IStore.InitializeAsync"/> found no schema and created it: a first start, or a
    /// store that was lost (a deleted file, another database), after which every stored state and
    /// its audit history are gone; the start says so when the config names migrations.
    /// </summary>
    bool CreatedAfresh { get; }

    /// <summary>
    /// Whether the store takes a write now: a small heartbeat write committed within a short
    /// timeout (2 seconds), so a store that is locked, corrupt, full, read-only or gone answers
    /// false quickly; used by <c>/readyz</c>, which must not say ready while changes would fail.
    /// </summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
