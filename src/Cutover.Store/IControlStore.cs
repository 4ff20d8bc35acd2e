using Cutover.Core.Shadow;
using Cutover.Core.State;

namespace Cutover.Store;

/// <summary>
/// Where Cutover keeps what changes at run time: each migration's mode, weight and plan progress,
/// and the audit log of every change. Each change and its audit row are written in one transaction, so the log
/// never misses a change and never records one that did not happen.
/// </summary>
public interface IControlStore : IAsyncDisposable
{
    /// <summary>A short description for logs and errors, without secrets (e.g. "sqlite:cutover.db").</summary>
    string Description { get; }

    /// <summary>Creates the schema or upgrades it to the current version; safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <see cref="InitializeAsync"/> found no schema and created it: a first start, or a
    /// store that was lost (a deleted file, another database), after which every stored state and
    /// its audit history are gone; the start says so when the config names migrations.
    /// </summary>
    bool CreatedAfresh { get; }

    /// <summary>Every stored migration state.</summary>
    Task<IReadOnlyList<MigrationState>> GetStatesAsync(CancellationToken cancellationToken = default);

    /// <summary>One migration's state, or null when the store does not know it.</summary>
    Task<MigrationState?> GetStateAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the given initial states for migrations the store does not know yet, each with a
    /// <c>seed</c> audit row; states already stored are left alone (they win over the file).
    /// Returns the stored state of every migration named.
    /// </summary>
    Task<IReadOnlyList<MigrationState>> SeedAsync(IReadOnlyList<StateChange> initial, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a change and writes its audit row in one transaction, returning the new state.
    /// Throws <see cref="UnknownMigrationException"/> when the migration is not stored and
    /// <see cref="VersionConflictException"/> when <see cref="StateChange.ExpectedVersion"/> is stale.
    /// </summary>
    Task<MigrationState> ChangeAsync(StateChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records how long the current step of a running plan has baked, without an audit row (it is
    /// progress, not a decision), so a restart resumes with the bake time that was left. Does
    /// nothing when the plan has meanwhile moved to another step or stopped running.
    /// </summary>
    Task SaveBakeAsync(string name, int step, TimeSpan baked, CancellationToken cancellationToken = default);

    /// <summary>Audit rows, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until state may have been changed by another process, or <paramref name="maxWait"/>
    /// passes; true when the store was told of a change. PostgreSQL is told at once (LISTEN/NOTIFY),
    /// so replicas follow a rollback within milliseconds; SQLite cannot tell, so this just waits
    /// and the caller re-reads. One caller at a time.
    /// </summary>
    Task<bool> WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// Stores a replica's buckets, each replacing what the same replica stored for the same
    /// migration and start: a replica sends the bucket in progress again as it fills, so the
    /// others judge on data at most a flush old.
    /// </summary>
    Task SaveMetricsAsync(IReadOnlyList<ReplicaBucket> buckets, CancellationToken cancellationToken = default);

    /// <summary>Every replica's buckets of every migration that start at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<ReplicaBucket>> GetMetricsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Deletes the buckets that start before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneMetricsAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes or renews the lease called <paramref name="name"/> for <paramref name="holder"/> until
    /// <paramref name="term"/> from now; true when <paramref name="holder"/> holds it. A lease held
    /// by another is taken only once it has expired, so of several replicas one at a time does a
    /// job (such as running plans), and another takes over within a term when it dies.
    /// </summary>
    Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken = default);

    /// <summary>Gives up a lease <paramref name="holder"/> holds, so another replica takes it at once rather than after the term.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store takes a write now: a small heartbeat write committed within a short
    /// timeout (2 seconds), so a store that is locked, corrupt, full, read-only or gone answers
    /// false quickly; used by <c>/readyz</c>, which must not say ready while changes would fail.
    /// </summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
