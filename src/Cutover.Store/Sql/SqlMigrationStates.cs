using System.Data.Common;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.State;
using Cutover.Kernel.Routing;

namespace Cutover.Store.Sql;

/// <summary>
/// Each migration's state (mode, weight, plan progress, applied plan) with its audit log: every
/// change reads the stored state, writes the next one and its audit row, and tells other
/// processes, all in one transaction.
/// </summary>
internal sealed class SqlMigrationStates(SqlDatabase database, SqlAuditLog audit)
{
    private const string StateQuery = """
        SELECT m.name, m.mode, m.weight, m.version, m.updated_at,
               r.status, r.step, r.step_started_at, r.window_start, r.baked_ms, r.note,
               m.plan_applied, m.plan
        FROM migrations m LEFT JOIN rollouts r ON r.migration = m.name
        """;

    // An applied plan is stored as written, without the lines of a file that is long gone, and read back through the validator at each start.
    private static readonly JsonSerializerOptions PlanJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly SqlDialect dialect = database.Dialect;

    /// <inheritdoc cref="IMigrationStateStore.GetStatesAsync"/>
    public Task<IReadOnlyList<MigrationState>> GetStatesAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<MigrationState>>(
            async (connection, ct) => await connection.QueryAsync($"{StateQuery} ORDER BY m.name", ReadState, ct),
            cancellationToken);

    /// <inheritdoc cref="IMigrationStateStore.GetStateAsync"/>
    public Task<MigrationState?> GetStateAsync(string name, CancellationToken cancellationToken) =>
        database.RunAsync((connection, ct) => ReadStateAsync(connection, null, name, lockRow: false, ct), cancellationToken);

    /// <inheritdoc cref="IMigrationStateStore.SeedAsync"/>
    public Task<IReadOnlyList<MigrationState>> SeedAsync(IReadOnlyList<StateChange> initial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initial);
        return database.RunAsync<IReadOnlyList<MigrationState>>(async (connection, ct) =>
        {
            var now = database.Now();
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var states = new List<MigrationState>(initial.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in initial.Where(c => seen.Add(c.Name)))
            {
                var inserted = await connection.ExecuteAsync(
                    transaction,
                    "INSERT INTO migrations (name, mode, weight, version, updated_at) VALUES (@name, @mode, @weight, 1, @updated_at) ON CONFLICT (name) DO NOTHING",
                    ct,
                    ("name", change.Name),
                    ("mode", change.Mode.ToWire()),
                    ("weight", change.Weight.Percent),
                    ("updated_at", dialect.ToDatabase(now)));
                if (inserted == 1)
                {
                    await WriteAuditAsync(connection, transaction, change, before: string.Empty, StateText.Format(change.Mode, change.Weight), now, ct);
                    await database.NotifyChangedAsync(connection, transaction, change.Name, ct);
                    states.Add(new MigrationState(change.Name, change.Mode, change.Weight, 1, now));
                }
                else
                {
                    states.Add(await ReadStateAsync(connection, transaction, change.Name, lockRow: false, ct)
                        ?? throw new InvalidOperationException($"Migration '{change.Name}' was neither inserted nor found in {database.Description}."));
                }
            }

            await transaction.CommitAsync(ct);
            return states;
        }, cancellationToken);
    }

    /// <inheritdoc cref="IMigrationStateStore.ChangeAsync"/>
    public Task<MigrationState> ChangeAsync(StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var current = await ReadStateAsync(connection, transaction, change.Name, lockRow: true, ct)
                ?? throw new UnknownMigrationException(change.Name);
            if (change.ExpectedVersion is { } expected && expected != current.Version)
            {
                throw new VersionConflictException(change.Name, expected, current.Version);
            }

            var next = new MigrationState(
                change.Name, change.Mode, change.Weight, current.Version + 1, database.Now(), AsStored(change.Rollout) ?? current.Rollout, AsStored(change.Plan) ?? current.Plan);
            await connection.ExecuteAsync(
                transaction,
                "UPDATE migrations SET mode = @mode, weight = @weight, version = @version, updated_at = @updated_at WHERE name = @name",
                ct,
                ("mode", next.Mode.ToWire()),
                ("weight", next.Weight.Percent),
                ("version", next.Version),
                ("updated_at", dialect.ToDatabase(next.UpdatedAt)),
                ("name", next.Name));
            if (change.Rollout is not null)
            {
                await SaveRolloutAsync(connection, transaction, change.Name, next.Rollout!, ct);
            }

            if (next.Plan is { } plan && change.Plan is not null)
            {
                await connection.ExecuteAsync(
                    transaction,
                    "UPDATE migrations SET plan_applied = @plan_applied, plan = @plan WHERE name = @name",
                    ct,
                    ("plan_applied", true),
                    ("plan", plan.Config is null ? null : JsonSerializer.Serialize(plan.Config, PlanJson)),
                    ("name", next.Name));
            }

            await WriteAuditAsync(connection, transaction, change, StateText.Format(current), StateText.Format(next), next.UpdatedAt, ct);
            await database.NotifyChangedAsync(connection, transaction, change.Name, ct);
            await transaction.CommitAsync(ct);
            return next;
        }, cancellationToken);
    }

    /// <inheritdoc cref="IMigrationStateStore.SaveBakeAsync"/>
    public Task SaveBakeAsync(string name, int step, TimeSpan baked, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            await connection.ExecuteAsync(
                transaction,
                "UPDATE rollouts SET baked_ms = @baked_ms WHERE migration = @migration AND step = @step AND status = @status",
                ct,
                ("baked_ms", (long)baked.TotalMilliseconds),
                ("migration", name),
                ("step", (long)step),
                ("status", RolloutStatus.Running.ToWire()));
            await transaction.CommitAsync(ct);
        }, cancellationToken);

    /// <inheritdoc cref="IMigrationStateStore.SaveTriggerHoldsAsync"/>
    public Task SaveTriggerHoldsAsync(
        string name, int step, DateTimeOffset stepStartedAt, IReadOnlyDictionary<string, DateTimeOffset> holds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holds);
        var json = holds.Count == 0 ? null : JsonSerializer.Serialize(holds.ToDictionary(h => h.Key, h => SqlDialect.ToMilliseconds(h.Value), StringComparer.Ordinal));
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            await connection.ExecuteAsync(
                transaction,
                "UPDATE rollouts SET trigger_holds = @holds WHERE migration = @migration AND step = @step AND step_started_at = @step_started_at",
                ct,
                ("holds", json),
                ("migration", name),
                ("step", (long)step),
                ("step_started_at", dialect.ToDatabase(SqlDialect.ToMilliseconds(stepStartedAt))));
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IMigrationStateStore.GetTriggerHoldsAsync"/>
    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetTriggerHoldsAsync(string name, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyDictionary<string, DateTimeOffset>>(async (connection, ct) =>
        {
            var rows = await connection.QueryAsync(
                "SELECT trigger_holds FROM rollouts WHERE migration = @migration",
                reader => reader.IsDBNull(0) ? null : reader.GetString(0),
                ct,
                ("migration", name));
            return rows is [{ } json]
                ? JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(json) ?? []
                : new Dictionary<string, DateTimeOffset>();
        }, cancellationToken);

    private async Task<MigrationState?> ReadStateAsync(DbConnection connection, DbTransaction? transaction, string name, bool lockRow, CancellationToken cancellationToken)
    {
        var suffix = lockRow ? dialect.LockRowSuffix : string.Empty;
        await using var command = connection.Command(transaction, $"{StateQuery} WHERE m.name = @name{suffix}", ("name", name));
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
                $"The store {database.Description} holds mode '{modeText}' for migration '{name}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        var percent = reader.GetDouble(2);
        if (!Weight.TryFromPercent(percent, out var weight))
        {
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"The store {database.Description} holds weight {percent} for migration '{name}', outside 0..100; Cutover never writes one, so correct the row in its migrations table."));
        }

        return new MigrationState(name, mode, weight, reader.GetInt64(3), dialect.ReadTime(reader, 4), ReadRollout(reader, name), ReadPlan(reader, name));
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
                $"The store {database.Description} holds an applied plan for migration '{name}' that cannot be read ({e.Message}). " +
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
                $"The store {database.Description} holds plan status '{statusText}' for migration '{name}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        return new RolloutState(
            status.Value,
            (int)reader.GetInt64(6),
            dialect.ReadTime(reader, 7),
            dialect.ReadTime(reader, 8),
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
        StepStartedAt = SqlDialect.ToMilliseconds(rollout.StepStartedAt),
        WindowStart = SqlDialect.ToMilliseconds(rollout.WindowStart),
        Baked = TimeSpan.FromMilliseconds((long)rollout.Baked.TotalMilliseconds),
    };

    private Task<int> SaveRolloutAsync(DbConnection connection, DbTransaction transaction, string name, RolloutState rollout, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            transaction,
            """
            INSERT INTO rollouts (migration, status, step, step_started_at, window_start, baked_ms, note)
            VALUES (@migration, @status, @step, @step_started_at, @window_start, @baked_ms, @note)
            ON CONFLICT (migration) DO UPDATE SET
                status = excluded.status, step = excluded.step, step_started_at = excluded.step_started_at,
                window_start = excluded.window_start, baked_ms = excluded.baked_ms, note = excluded.note,
                trigger_holds = NULL
            """,
            cancellationToken,
            ("migration", name),
            ("status", rollout.Status.ToWire()),
            ("step", (long)rollout.Step),
            ("step_started_at", dialect.ToDatabase(rollout.StepStartedAt)),
            ("window_start", dialect.ToDatabase(rollout.WindowStart)),
            ("baked_ms", (long)rollout.Baked.TotalMilliseconds),
            ("note", rollout.Note));

    private Task<int> WriteAuditAsync(
        DbConnection connection, DbTransaction transaction, StateChange change, string before, string after, DateTimeOffset at, CancellationToken cancellationToken) =>
        audit.WriteAsync(
            connection, transaction, new AuditEntry(0, at, change.Name, change.Actor, change.Action, before, after, change.Reason, change.Evidence), cancellationToken);
}
