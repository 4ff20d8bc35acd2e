using Cutover.Core.Shadow;
using Cutover.Core.State;

namespace Cutover.Store.Sql;

/// <summary>
/// The control store on one SQLite or PostgreSQL database: every role's interface on one object,
/// each answered by the small class of that role over the database's shared plumbing, so a caller
/// holding one role can be handed another of the same store (the admin API asks its store for
/// backfill jobs and tokens).
/// </summary>
internal sealed class SqlControlStore : IControlStore, IBackfillStore, ITokenStore
{
    private readonly SqlDatabase database;
    private readonly SqlMigrationStates states;
    private readonly SqlAuditLog audit;
    private readonly SqlShadowEvidence evidence;
    private readonly SqlMetricsBuckets metrics;
    private readonly SqlLeases leases;
    private readonly SqlBackfillJobs backfills;
    private readonly SqlBackfillRanges ranges;
    private readonly SqlTokens tokens;

    /// <summary>Creates the store's roles over <paramref name="database"/>, which the store then owns.</summary>
    public SqlControlStore(SqlDatabase database)
    {
        this.database = database;
        audit = new SqlAuditLog(database);
        states = new SqlMigrationStates(database, audit);
        evidence = new SqlShadowEvidence(database);
        metrics = new SqlMetricsBuckets(database);
        leases = new SqlLeases(database);
        ranges = new SqlBackfillRanges(database);
        backfills = new SqlBackfillJobs(database, ranges);
        tokens = new SqlTokens(database, audit);
    }

    /// <inheritdoc />
    public string Description => database.Description;

    /// <inheritdoc />
    public bool CreatedAfresh => database.CreatedAfresh;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => database.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => database.PingAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => database.DisposeAsync();

    /// <inheritdoc />
    public Task<IReadOnlyList<MigrationState>> GetStatesAsync(CancellationToken cancellationToken = default) => states.GetStatesAsync(cancellationToken);

    /// <inheritdoc />
    public Task<MigrationState?> GetStateAsync(string name, CancellationToken cancellationToken = default) => states.GetStateAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MigrationState>> SeedAsync(IReadOnlyList<StateChange> initial, CancellationToken cancellationToken = default) =>
        states.SeedAsync(initial, cancellationToken);

    /// <inheritdoc />
    public Task<MigrationState> ChangeAsync(StateChange change, CancellationToken cancellationToken = default) => states.ChangeAsync(change, cancellationToken);

    /// <inheritdoc />
    public Task SaveBakeAsync(string name, int step, TimeSpan baked, CancellationToken cancellationToken = default) =>
        states.SaveBakeAsync(name, step, baked, cancellationToken);

    /// <inheritdoc />
    public Task SaveTriggerHoldsAsync(
        string name, int step, DateTimeOffset stepStartedAt, IReadOnlyDictionary<string, DateTimeOffset> holds, CancellationToken cancellationToken = default) =>
        states.SaveTriggerHoldsAsync(name, step, stepStartedAt, holds, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetTriggerHoldsAsync(string name, CancellationToken cancellationToken = default) =>
        states.GetTriggerHoldsAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(AuditQuery query, CancellationToken cancellationToken = default) => audit.GetAuditAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<bool> WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) => database.WaitForChangeAsync(maxWait, cancellationToken);

    /// <inheritdoc />
    public Task RecordShadowAsync(ShadowBatch batch, CancellationToken cancellationToken = default) => evidence.RecordShadowAsync(batch, cancellationToken);

    /// <inheritdoc />
    public Task<DivergenceReport> GetDivergencesAsync(string migration, CancellationToken cancellationToken = default) =>
        evidence.GetDivergencesAsync(migration, cancellationToken);

    /// <inheritdoc />
    public Task<DivergenceSample?> GetSampleAsync(string migration, long id, CancellationToken cancellationToken = default) =>
        evidence.GetSampleAsync(migration, id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<NoiseEntry>> GetNoiseAsync(string migration, CancellationToken cancellationToken = default) => evidence.GetNoiseAsync(migration, cancellationToken);

    /// <inheritdoc />
    public Task SaveMetricsAsync(IReadOnlyList<ReplicaBucket> buckets, CancellationToken cancellationToken = default) => metrics.SaveMetricsAsync(buckets, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReplicaBucket>> GetMetricsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        metrics.GetMetricsAsync(since, cancellationToken);

    /// <inheritdoc />
    public Task<int> PruneMetricsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => metrics.PruneMetricsAsync(before, cancellationToken);

    /// <inheritdoc />
    public Task<bool> TryLeaseAsync(string name, string holder, TimeSpan term, CancellationToken cancellationToken = default) =>
        leases.TryLeaseAsync(name, holder, term, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default) => leases.ReleaseLeaseAsync(name, holder, cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetLeaseHolderAsync(string name, CancellationToken cancellationToken = default) => leases.GetLeaseHolderAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<BackfillRecord?> GetBackfillAsync(string name, CancellationToken cancellationToken = default) => backfills.GetBackfillAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<BackfillRecord>> GetBackfillsAsync(CancellationToken cancellationToken = default) => backfills.GetBackfillsAsync(cancellationToken);

    /// <inheritdoc />
    public Task SaveBackfillAsync(BackfillRecord record, CancellationToken cancellationToken = default) => backfills.SaveBackfillAsync(record, cancellationToken);

    /// <inheritdoc />
    public Task SaveBackfillVerifyAsync(string job, string verify, CancellationToken cancellationToken = default) => backfills.SaveBackfillVerifyAsync(job, verify, cancellationToken);

    /// <inheritdoc />
    public Task SplitBackfillAsync(string job, IReadOnlyList<BackfillRange> ranges, CancellationToken cancellationToken = default) =>
        this.ranges.SplitBackfillAsync(job, ranges, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<BackfillRange>> GetBackfillRangesAsync(string job, CancellationToken cancellationToken = default) =>
        ranges.GetBackfillRangesAsync(job, cancellationToken);

    /// <inheritdoc />
    public Task<BackfillRange?> ClaimBackfillRangeAsync(string job, string holder, TimeSpan term, CancellationToken cancellationToken = default) =>
        ranges.ClaimBackfillRangeAsync(job, holder, term, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SaveBackfillRangeAsync(BackfillRange range, TimeSpan term, CancellationToken cancellationToken = default) =>
        ranges.SaveBackfillRangeAsync(range, term, cancellationToken);

    /// <inheritdoc />
    public Task<byte[]> GetTokenSecretAsync(CancellationToken cancellationToken = default) => tokens.GetTokenSecretAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>> GetTokensAsync(CancellationToken cancellationToken = default) => tokens.GetTokensAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddTokenAsync(TokenRecord token, string reason, CancellationToken cancellationToken = default) => tokens.AddTokenAsync(token, reason, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string name, string actor, string reason, CancellationToken cancellationToken = default) =>
        tokens.RevokeTokenAsync(name, actor, reason, cancellationToken);
}
