using System.Data.Common;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.Comparison;
using Cutover.Core.Configuration;
using Cutover.Core.Rollout;
using Cutover.Core.Routing;
using Cutover.Core.Shadow;
using Cutover.Core.State;
using Cutover.Store.Schema;

namespace Cutover.Store.Sql;

/// <summary>
/// The control store over any ADO.NET database: the SQL and the transaction logic are the same on
/// SQLite and PostgreSQL, so they live here once, and each engine supplies only what truly
/// differs (how to connect, how to take the write lock, how times are stored and compared,
/// which errors mean the database cannot be reached). Every operation opens its own pooled
/// connection, so the store is safe to share between threads and between the proxy and the CLI.
/// </summary>
internal abstract partial class SqlControlStore(TimeProvider time) : IControlStore
{
    private const int MaxAuditRows = 10_000;
    private const string StateQuery = """
        SELECT m.name, m.mode, m.weight, m.version, m.updated_at,
               r.status, r.step, r.step_started_at, r.window_start, r.baked_ms, r.note,
               m.plan_applied, m.plan
        FROM migrations m LEFT JOIN rollouts r ON r.migration = m.name
        """;

    private const string AuditColumns = "id, time, migration, actor, action, before, after, reason, evidence";

    // The probe's own lease row: never taken by anyone, its expiry is just what the probe writes.
    private const string Heartbeat = """
        INSERT INTO leases (name, holder, expires_at) VALUES ('cutover.readyz', 'readyz', @now)
        ON CONFLICT (name) DO UPDATE SET expires_at = excluded.expires_at
        """;

    /// <summary>
    /// How long <see cref="PingAsync"/> waits for the store to take a write, a lock included,
    /// before it says the store is not ready: short, so a probe every few seconds is answered
    /// before the probe itself times out.
    /// </summary>
    protected static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    // Samples are stored as JSON text. Enums are written by name, as the kind column is, so the
    // rows stay readable in a database shell; escaping for HTML would only make bodies longer.
    private static readonly JsonSerializerOptions SampleJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // An applied plan is stored as written, without the lines of a file that is long gone, and read back through the validator at each start.
    private static readonly JsonSerializerOptions PlanJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public bool CreatedAfresh { get; private set; }

    /// <summary>The database's schema version table, created before any step runs.</summary>
    protected abstract string SchemaVersionTableSql { get; }

    /// <summary>What to append to a SELECT to lock the row it reads until the transaction ends; empty when the write transaction already excludes other writers.</summary>
    protected abstract string LockRowSuffix { get; }

    /// <summary>The scalar function giving the later of two stored times, so adding a replica's counts moves "last seen" on and never back.</summary>
    protected abstract string GreatestFunction { get; }

    /// <summary>The scalar function giving the earlier of two stored times, so adding a replica's counts keeps the earliest "first seen".</summary>
    protected abstract string LeastFunction { get; }

    /// <summary>What the user should check after an error that <see cref="IsUnavailable"/> accepted (or any error opening a connection), naming the file or server.</summary>
    protected abstract string HintFor(DbException exception);

    /// <summary>Opens a connection; failures are turned into <see cref="StoreUnavailableException"/> by the caller.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts a transaction that will write, taking whatever lock makes concurrent writers wait for
    /// each other; throws <see cref="StoreUnavailableException"/> when the database is no longer
    /// the one this store opened, so no change is written where nobody will read it.
    /// </summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Starts the write transaction of <see cref="PingAsync"/>, waiting for a lock at most <paramref name="timeout"/>.</summary>
    protected virtual Task<DbTransaction> BeginProbeAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken) =>
        BeginWriteAsync(connection, cancellationToken);

    /// <summary>Work inside the schema transaction, after the schema is current (e.g. marking which file this store opened).</summary>
    protected virtual Task InitializedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The SQL of a schema step for this engine.</summary>
    protected abstract string SqlOf(SchemaStep step);

    /// <summary>A time as this engine stores it; always UTC and whole milliseconds.</summary>
    protected abstract object ToDatabase(DateTimeOffset time);

    /// <summary>Reads a time stored by <see cref="ToDatabase"/>.</summary>
    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Whether an error means the database cannot be reached or used at all, rather than a fault of one statement.</summary>
    protected abstract bool IsUnavailable(DbException exception);

    /// <summary>Work before the schema transaction, outside any transaction (e.g. choosing SQLite's journal mode).</summary>
    protected virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Makes two processes initializing the same database at once take turns, when the write transaction alone does not.</summary>
    protected virtual Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Tells other processes, on commit of <paramref name="transaction"/>, that a migration changed; engines that cannot, do nothing.</summary>
    protected virtual Task NotifyChangedAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task<bool> WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        await Task.Delay(maxWait, time, cancellationToken);
        return false;
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async (connection, ct) =>
        {
            await PrepareAsync(connection, ct);
            await using var transaction = await BeginWriteAsync(connection, ct);
            await LockSchemaAsync(connection, transaction, ct);
            await ExecuteAsync(connection, transaction, SchemaVersionTableSql, ct);

            var stored = await ScalarAsync(connection, transaction, "SELECT MAX(version) FROM schema_version", ct);
            var version = stored is null or DBNull ? 0L : Convert.ToInt64(stored, CultureInfo.InvariantCulture);
            if (version > StoreSchema.CurrentVersion)
            {
                throw new StoreUnavailableException(
                    $"The store {Description} has schema version {version}, but this build of Cutover knows versions up to {StoreSchema.CurrentVersion}: " +
                    "a newer Cutover has upgraded it. Run that newer Cutover, or point this one at another store.");
            }

            foreach (var step in StoreSchema.Steps.Where(s => s.Version > version))
            {
                await ExecuteAsync(connection, transaction, SqlOf(step), ct);
                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @applied_at)",
                    ct,
                    ("version", (long)step.Version),
                    ("description", step.Description),
                    ("applied_at", ToDatabase(Now())));
            }

            await InitializedAsync(connection, transaction, ct);
            await transaction.CommitAsync(ct);
            CreatedAfresh = version == 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MigrationState>> GetStatesAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<MigrationState>>(async (connection, ct) =>
        {
            await using var command = Command(connection, null, $"{StateQuery} ORDER BY m.name");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var states = new List<MigrationState>();
            while (await reader.ReadAsync(ct))
            {
                states.Add(ReadState(reader));
            }

            return states;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<MigrationState?> GetStateAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync((connection, ct) => ReadStateAsync(connection, null, name, lockRow: false, ct), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MigrationState>> SeedAsync(IReadOnlyList<StateChange> initial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initial);
        return RunAsync<IReadOnlyList<MigrationState>>(async (connection, ct) =>
        {
            var now = Now();
            await using var transaction = await BeginWriteAsync(connection, ct);
            var states = new List<MigrationState>(initial.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in initial.Where(c => seen.Add(c.Name)))
            {
                var inserted = await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO migrations (name, mode, weight, version, updated_at) VALUES (@name, @mode, @weight, 1, @updated_at) ON CONFLICT (name) DO NOTHING",
                    ct,
                    ("name", change.Name),
                    ("mode", change.Mode.ToWire()),
                    ("weight", change.Weight),
                    ("updated_at", ToDatabase(now)));
                if (inserted == 1)
                {
                    await InsertAuditAsync(connection, transaction, change, before: string.Empty, StateText.Format(change.Mode, change.Weight), now, ct);
                    await NotifyChangedAsync(connection, transaction, change.Name, ct);
                    states.Add(new MigrationState(change.Name, change.Mode, change.Weight, 1, now));
                }
                else
                {
                    states.Add(await ReadStateAsync(connection, transaction, change.Name, lockRow: false, ct)
                        ?? throw new InvalidOperationException($"Migration '{change.Name}' was neither inserted nor found in {Description}."));
                }
            }

            await transaction.CommitAsync(ct);
            return states;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<MigrationState> ChangeAsync(StateChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            var current = await ReadStateAsync(connection, transaction, change.Name, lockRow: true, ct)
                ?? throw new UnknownMigrationException(change.Name);
            if (change.ExpectedVersion is { } expected && expected != current.Version)
            {
                throw new VersionConflictException(change.Name, expected, current.Version);
            }

            var next = new MigrationState(
                change.Name, change.Mode, change.Weight, current.Version + 1, Now(), AsStored(change.Rollout) ?? current.Rollout, AsStored(change.Plan) ?? current.Plan);
            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE migrations SET mode = @mode, weight = @weight, version = @version, updated_at = @updated_at WHERE name = @name",
                ct,
                ("mode", next.Mode.ToWire()),
                ("weight", next.Weight),
                ("version", next.Version),
                ("updated_at", ToDatabase(next.UpdatedAt)),
                ("name", next.Name));
            if (change.Rollout is not null)
            {
                await SaveRolloutAsync(connection, transaction, change.Name, next.Rollout!, ct);
            }

            if (next.Plan is { } plan && change.Plan is not null)
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    "UPDATE migrations SET plan_applied = @plan_applied, plan = @plan WHERE name = @name",
                    ct,
                    ("plan_applied", true),
                    ("plan", plan.Config is null ? null : JsonSerializer.Serialize(plan.Config, PlanJson)),
                    ("name", next.Name));
            }

            await InsertAuditAsync(connection, transaction, change, StateText.Format(current), StateText.Format(next), next.UpdatedAt, ct);
            await NotifyChangedAsync(connection, transaction, change.Name, ct);
            await transaction.CommitAsync(ct);
            return next;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveBakeAsync(string name, int step, TimeSpan baked, CancellationToken cancellationToken = default) =>
        RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE rollouts SET baked_ms = @baked_ms WHERE migration = @migration AND step = @step AND status = @status",
                ct,
                ("baked_ms", (long)baked.TotalMilliseconds),
                ("migration", name),
                ("step", (long)step),
                ("status", RolloutStatus.Running.ToWire()));
            await transaction.CommitAsync(ct);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> GetAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string>(2);
        var parameters = new List<(string, object?)>(3) { ("limit", (long)Math.Clamp(query.Limit, 1, MaxAuditRows)) };
        if (query.Migration is not null)
        {
            conditions.Add("migration = @migration");
            parameters.Add(("migration", query.Migration));
        }

        if (query.BeforeId is { } beforeId)
        {
            conditions.Add("id < @before_id");
            parameters.Add(("before_id", beforeId));
        }

        if (query.Action is not null)
        {
            conditions.Add("action = @action");
            parameters.Add(("action", query.Action));
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        var sql = $"SELECT {AuditColumns} FROM audit{where} ORDER BY id DESC LIMIT @limit";
        return RunAsync<IReadOnlyList<AuditEntry>>(async (connection, ct) =>
        {
            await using var command = Command(connection, null, sql, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var entries = new List<AuditEntry>();
            while (await reader.ReadAsync(ct))
            {
                entries.Add(new AuditEntry(
                    reader.GetInt64(0),
                    ReadTime(reader, 1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)));
            }

            return entries;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RecordShadowAsync(ShadowBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var upsertEndpoint = $"""
            INSERT INTO divergence_endpoints AS t (migration, endpoint, compared, divergent, first_seen, last_seen)
            VALUES (@migration, @endpoint, @compared, @divergent, @first_seen, @last_seen)
            ON CONFLICT (migration, endpoint) DO UPDATE SET
                compared = t.compared + excluded.compared,
                divergent = t.divergent + excluded.divergent,
                first_seen = {LeastFunction}(t.first_seen, excluded.first_seen),
                last_seen = {GreatestFunction}(t.last_seen, excluded.last_seen)
            """;
        var upsertPath = $"""
            INSERT INTO divergence_paths AS t (migration, endpoint, path, kind, count, first_seen, last_seen)
            VALUES (@migration, @endpoint, @path, @kind, @count, @first_seen, @last_seen)
            ON CONFLICT (migration, endpoint, path) DO UPDATE SET
                kind = CASE WHEN excluded.last_seen >= t.last_seen THEN excluded.kind ELSE t.kind END,
                count = t.count + excluded.count,
                first_seen = {LeastFunction}(t.first_seen, excluded.first_seen),
                last_seen = {GreatestFunction}(t.last_seen, excluded.last_seen)
            """;
        const string InsertSample = """
            INSERT INTO divergence_samples (migration, endpoint, path, time, sample)
            VALUES (@migration, @endpoint, @path, @time, @sample)
            """;
        const string TrimSamples = """
            DELETE FROM divergence_samples
            WHERE migration = @migration AND endpoint = @endpoint AND path = @path AND id NOT IN (
                SELECT id FROM divergence_samples
                WHERE migration = @migration AND endpoint = @endpoint AND path = @path
                ORDER BY id DESC LIMIT @keep)
            """;
        const string InsertNoise = """
            INSERT INTO noise (migration, endpoint, path, learned_at) VALUES (@migration, @endpoint, @path, @learned_at)
            ON CONFLICT (migration, endpoint, path) DO NOTHING
            """;

        var migration = ("migration", (object?)batch.Migration);
        return RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);

            // Rows are written in key order, so two replicas flushing the same endpoints at once lock
            // them in the same order and wait for each other instead of deadlocking on PostgreSQL.
            foreach (var endpoint in batch.Endpoints.OrderBy(e => e.Endpoint, StringComparer.Ordinal))
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    upsertEndpoint,
                    ct,
                    migration,
                    ("endpoint", endpoint.Endpoint),
                    ("compared", endpoint.Compared),
                    ("divergent", endpoint.Divergent),
                    ("first_seen", ToDatabase(ToMilliseconds(endpoint.FirstSeen))),
                    ("last_seen", ToDatabase(ToMilliseconds(endpoint.LastSeen))));
                foreach (var path in endpoint.Paths.OrderBy(p => p.Path, StringComparer.Ordinal))
                {
                    await ExecuteAsync(
                        connection,
                        transaction,
                        upsertPath,
                        ct,
                        migration,
                        ("endpoint", endpoint.Endpoint),
                        ("path", path.Path),
                        ("kind", path.Kind.ToString()),
                        ("count", path.Count),
                        ("first_seen", ToDatabase(ToMilliseconds(path.FirstSeen))),
                        ("last_seen", ToDatabase(ToMilliseconds(path.LastSeen))));
                }
            }

            foreach (var sample in batch.Samples)
            {
                var stored = sample with { Time = ToMilliseconds(sample.Time) };
                await ExecuteAsync(
                    connection,
                    transaction,
                    InsertSample,
                    ct,
                    migration,
                    ("endpoint", stored.Endpoint),
                    ("path", stored.Path),
                    ("time", ToDatabase(stored.Time)),
                    ("sample", JsonSerializer.Serialize(stored, SampleJson)));
            }

            var sampled = batch.Samples.Select(s => (s.Endpoint, s.Path)).Distinct()
                .OrderBy(s => s.Endpoint, StringComparer.Ordinal).ThenBy(s => s.Path, StringComparer.Ordinal);
            foreach (var (endpoint, path) in sampled)
            {
                await ExecuteAsync(connection, transaction, TrimSamples, ct, migration, ("endpoint", endpoint), ("path", path), ("keep", (long)DivergenceLimits.SamplesPerPath));
            }

            foreach (var noise in batch.Noise.OrderBy(n => n.Endpoint, StringComparer.Ordinal).ThenBy(n => n.Path, StringComparer.Ordinal))
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    InsertNoise,
                    ct,
                    migration,
                    ("endpoint", noise.Endpoint),
                    ("path", noise.Path),
                    ("learned_at", ToDatabase(ToMilliseconds(noise.LearnedAt))));
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DivergenceReport> GetDivergencesAsync(string migration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migration);

        // Sorted here rather than in SQL so text orders the same (ordinally) whatever collation the database has.
        return RunAsync(async (connection, ct) =>
        {
            var endpoints = await QueryAsync(
                connection,
                "SELECT endpoint, compared, divergent, first_seen, last_seen FROM divergence_endpoints WHERE migration = @migration",
                r => new EndpointDivergence(r.GetString(0), r.GetInt64(1), r.GetInt64(2), ReadTime(r, 3), ReadTime(r, 4), [], [], []),
                ct,
                ("migration", migration));
            if (endpoints.Count == 0)
            {
                return new DivergenceReport(migration, []);
            }

            var paths = (await QueryAsync(
                connection,
                "SELECT endpoint, path, kind, count, first_seen, last_seen FROM divergence_paths WHERE migration = @migration",
                r => (Endpoint: r.GetString(0), Tally: new PathTally(r.GetString(1), ReadKind(r, 2), r.GetInt64(3), ReadTime(r, 4), ReadTime(r, 5))),
                ct,
                ("migration", migration))).ToLookup(p => p.Endpoint, p => p.Tally, StringComparer.Ordinal);
            var noise = (await ReadNoiseAsync(connection, migration, ct)).ToLookup(n => n.Endpoint, StringComparer.Ordinal);
            var samples = (await QueryAsync(
                connection,
                "SELECT endpoint, id, path, time FROM divergence_samples WHERE migration = @migration ORDER BY id DESC",
                r => (Endpoint: r.GetString(0), Reference: new SampleReference(r.GetInt64(1), r.GetString(2), ReadTime(r, 3))),
                ct,
                ("migration", migration))).ToLookup(s => s.Endpoint, s => s.Reference, StringComparer.Ordinal);

            var report = endpoints
                .Select(e => e with
                {
                    Paths = [.. paths[e.Endpoint].OrderByDescending(p => p.Count).ThenBy(p => p.Path, StringComparer.Ordinal)],
                    Noise = [.. noise[e.Endpoint]],
                    Samples = [.. samples[e.Endpoint]],
                })
                .OrderByDescending(e => e.Divergent)
                .ThenBy(e => e.Endpoint, StringComparer.Ordinal);
            return new DivergenceReport(migration, [.. report]);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DivergenceSample?> GetSampleAsync(string migration, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return RunAsync(async (connection, ct) =>
        {
            var json = await QueryAsync(
                connection,
                "SELECT sample FROM divergence_samples WHERE migration = @migration AND id = @id",
                r => r.GetString(0),
                ct,
                ("migration", migration),
                ("id", id));
            return json.Count == 0 ? null : ReadSample(json[0], id);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NoiseEntry>> GetNoiseAsync(string migration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return RunAsync((connection, ct) => ReadNoiseAsync(connection, migration, ct), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(PingTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await RunAsync(async (connection, ct) =>
            {
                await using var transaction = await BeginProbeAsync(connection, PingTimeout, ct);
                await ExecuteAsync(connection, transaction, Heartbeat, ct, ("now", ToDatabase(Now())));
                await transaction.CommitAsync(ct);
                return true;
            }, linked.Token);
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
        catch (DbException)
        {
            return false;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Now, cut to whole milliseconds so what a call returns equals what a later read returns on every engine.</summary>
    private DateTimeOffset Now() => ToMilliseconds(time.GetUtcNow());

    /// <summary>A time in UTC cut to whole milliseconds, the precision every engine stores, so what is written equals what is read back.</summary>
    private static DateTimeOffset ToMilliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>Runs one operation that returns nothing; see <see cref="RunAsync{T}"/>.</summary>
    private Task RunAsync(Func<DbConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, ct) =>
            {
                await work(connection, ct);
                return true;
            },
            cancellationToken);

    /// <summary>Runs one operation on its own connection, turning "cannot reach the database" errors into <see cref="StoreUnavailableException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = await OpenConnectionAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw Unavailable(e);
        }

        await using (connection)
        {
            try
            {
                return await work(connection, cancellationToken);
            }
            catch (DbException e) when (IsUnavailable(e))
            {
                throw Unavailable(e);
            }
        }
    }

    /// <summary>The error for a database that cannot be reached, naming the store and what to check.</summary>
    protected StoreUnavailableException Unavailable(DbException e)
    {
        var cause = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        return new StoreUnavailableException($"The control store {Description} is unavailable: {cause.TrimEnd('.')}. {HintFor(e)}", e);
    }

    private async Task<MigrationState?> ReadStateAsync(DbConnection connection, DbTransaction? transaction, string name, bool lockRow, CancellationToken cancellationToken)
    {
        var suffix = lockRow ? LockRowSuffix : string.Empty;
        await using var command = Command(connection, transaction, $"{StateQuery} WHERE m.name = @name{suffix}", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadState(reader) : null;
    }

    private MigrationState ReadState(DbDataReader reader)
    {
        var name = reader.GetString(0);
        var modeText = reader.GetString(1);
        if (!MigrationModes.TryParse(modeText, out var mode))
        {
            throw new InvalidDataException(
                $"The store {Description} holds mode '{modeText}' for migration '{name}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        return new MigrationState(name, mode, reader.GetDouble(2), reader.GetInt64(3), ReadTime(reader, 4), ReadRollout(reader, name), ReadPlan(reader, name));
    }

    private AppliedPlan? ReadPlan(DbDataReader reader, string name)
    {
        if (!reader.GetBoolean(11))
        {
            return null;
        }

        if (reader.IsDBNull(12))
        {
            return new AppliedPlan(null);
        }

        try
        {
            return new AppliedPlan(JsonSerializer.Deserialize<PlanConfig>(reader.GetString(12), PlanJson)
                ?? throw new JsonException("the stored plan is empty"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"The store {Description} holds an applied plan for migration '{name}' that cannot be read ({e.Message}). " +
                $"To follow the config file's plan again, run `UPDATE migrations SET plan_applied = false, plan = NULL WHERE name = '{name}'` on the store.", e);
        }
    }

    private RolloutState? ReadRollout(DbDataReader reader, string name)
    {
        if (reader.IsDBNull(5))
        {
            return null;
        }

        var statusText = reader.GetString(5);
        if (!RolloutStatuses.TryParse(statusText, out var status))
        {
            throw new InvalidDataException(
                $"The store {Description} holds plan status '{statusText}' for migration '{name}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        return new RolloutState(
            status.Value,
            (int)reader.GetInt64(6),
            ReadTime(reader, 7),
            ReadTime(reader, 8),
            TimeSpan.FromMilliseconds(reader.GetInt64(9)),
            reader.GetString(10));
    }

    /// <summary>An applied plan as the store keeps it: without the lines of the file it came from, which a later read cannot point into.</summary>
    private static AppliedPlan? AsStored(AppliedPlan? plan) => plan?.Config is not { } config ? plan : new AppliedPlan(config with
    {
        Line = 0,
        Steps = [.. config.Steps.Select(s => s with { Line = 0 })],
    });

    /// <summary>Plan progress as the store keeps it: times and bake in whole milliseconds.</summary>
    private static RolloutState? AsStored(RolloutState? rollout) => rollout is null ? null : rollout with
    {
        StepStartedAt = ToMilliseconds(rollout.StepStartedAt),
        WindowStart = ToMilliseconds(rollout.WindowStart),
        Baked = TimeSpan.FromMilliseconds((long)rollout.Baked.TotalMilliseconds),
    };

    private Task<int> SaveRolloutAsync(DbConnection connection, DbTransaction transaction, string name, RolloutState rollout, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection,
            transaction,
            """
            INSERT INTO rollouts (migration, status, step, step_started_at, window_start, baked_ms, note)
            VALUES (@migration, @status, @step, @step_started_at, @window_start, @baked_ms, @note)
            ON CONFLICT (migration) DO UPDATE SET
                status = excluded.status, step = excluded.step, step_started_at = excluded.step_started_at,
                window_start = excluded.window_start, baked_ms = excluded.baked_ms, note = excluded.note
            """,
            cancellationToken,
            ("migration", name),
            ("status", rollout.Status.ToWire()),
            ("step", (long)rollout.Step),
            ("step_started_at", ToDatabase(rollout.StepStartedAt)),
            ("window_start", ToDatabase(rollout.WindowStart)),
            ("baked_ms", (long)rollout.Baked.TotalMilliseconds),
            ("note", rollout.Note));

    /// <summary>A migration's noise, ordered by endpoint and path.</summary>
    private async Task<IReadOnlyList<NoiseEntry>> ReadNoiseAsync(DbConnection connection, string migration, CancellationToken cancellationToken)
    {
        var noise = await QueryAsync(
            connection,
            "SELECT endpoint, path, learned_at FROM noise WHERE migration = @migration",
            r => new NoiseEntry(r.GetString(0), r.GetString(1), ReadTime(r, 2)),
            cancellationToken,
            ("migration", migration));
        return [.. noise.OrderBy(n => n.Endpoint, StringComparer.Ordinal).ThenBy(n => n.Path, StringComparer.Ordinal)];
    }

    private DifferenceKind ReadKind(DbDataReader reader, int ordinal)
    {
        var text = reader.GetString(ordinal);
        return Enum.TryParse<DifferenceKind>(text, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new InvalidDataException(
                $"The store {Description} holds difference kind '{text}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
    }

    /// <summary>A stored sample; its id is the row's, which the JSON cannot know when it is written.</summary>
    private DivergenceSample ReadSample(string json, long id) =>
        (JsonSerializer.Deserialize<DivergenceSample>(json, SampleJson)
            ?? throw new InvalidDataException($"The store {Description} holds an empty sample with id {id}."))
        with { Id = id };

    private Task<int> InsertAuditAsync(
        DbConnection connection, DbTransaction transaction, StateChange change, string before, string after, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO audit (time, migration, actor, action, before, after, reason, evidence) VALUES (@time, @migration, @actor, @action, @before, @after, @reason, @evidence)",
            cancellationToken,
            ("time", ToDatabase(at)),
            ("migration", change.Name),
            ("actor", change.Actor),
            ("action", change.Action),
            ("before", before),
            ("after", after),
            ("reason", change.Reason),
            ("evidence", change.Evidence));

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(connection, null, sql, read, cancellationToken, parameters);

    private static async Task<List<T>> QueryAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
