using Cutover.Core.State;

namespace Cutover.Store;

/// <summary>
/// Each migration's mode, weight and plan progress, and the audit log of every change. Each change
/// and its audit row are written in one transaction, so the log never misses a change and never
/// records one that did not happen.
/// </summary>
public interface IMigrationStateStore : IStore
{
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

    /// <summary>
    /// Records since when each trigger of the current step has held, as the replica running the
    /// plans sees it, so every replica can show how close a plan is to rolling back. Progress, not
    /// a decision: no audit row and no change told to followers. Does nothing when the plan has
    /// meanwhile entered another step; a stored move clears them.
    /// </summary>
    /// <param name="name">The migration.</param>
    /// <param name="step">The step the holds were seen at.</param>
    /// <param name="stepStartedAt">When that step was entered, as stored.</param>
    /// <param name="holds">Each holding trigger, as written in the plan, with the moment it started to hold.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SaveTriggerHoldsAsync(
        string name, int step, DateTimeOffset stepStartedAt, IReadOnlyDictionary<string, DateTimeOffset> holds, CancellationToken cancellationToken = default);

    /// <summary>The trigger holds last saved for the current step of a migration's plan; empty when none holds or none was saved.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetTriggerHoldsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Audit rows, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until state may have been changed by another process, or <paramref name="maxWait"/>
    /// passes; true when the store was told of a change. PostgreSQL is told at once (LISTEN/NOTIFY),
    /// so replicas follow a rollback within milliseconds; SQLite cannot tell, so this just waits
    /// and the caller re-reads. One caller at a time.
    /// </summary>
    Task<bool> WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);
}
