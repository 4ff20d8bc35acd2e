using System.Data.Common;

namespace Cutover.Store.Sql;

/// <summary>
/// The backfill jobs' definitions and checkpoints (schema step 6), with the backup and high-water
/// mark (step 7), the skipped rows (step 8) and the throttle state (step 9); a split job's ranges
/// are read with it (step 10); the source's rows counted at the run's start and the latest verify's result (step 13).
/// </summary>
internal sealed class SqlBackfillJobs(SqlDatabase database, SqlBackfillRanges ranges)
{
    private const string BackfillColumns =
        "name, definition, status, last_key, rows_copied, checksum, started_at, run_started_at, run_start_rows, updated_at, last_error, backup, high_water, skipped, throttle, source_rows";

    private const string ReadColumns = $"{BackfillColumns}, last_verify";

    private readonly SqlDialect dialect = database.Dialect;

    /// <inheritdoc cref="IBackfillStore.GetBackfillAsync"/>
    public Task<BackfillRecord?> GetBackfillAsync(string name, CancellationToken cancellationToken) =>
        database.RunAsync(
            async (connection, ct) => (await connection.QueryAsync(
                $"SELECT {ReadColumns} FROM backfill_jobs WHERE name = @name", ReadBackfill, ct, ("name", name))).FirstOrDefault() is { } record
                ? await ranges.WithRangesAsync(connection, record, ct)
                : null,
            cancellationToken);

    /// <inheritdoc cref="IBackfillStore.GetBackfillsAsync"/>
    public Task<IReadOnlyList<BackfillRecord>> GetBackfillsAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<BackfillRecord>>(
            async (connection, ct) =>
            {
                var records = new List<BackfillRecord>();
                foreach (var record in await connection.QueryAsync($"SELECT {ReadColumns} FROM backfill_jobs ORDER BY name", ReadBackfill, ct))
                {
                    records.Add(await ranges.WithRangesAsync(connection, record, ct));
                }

                return records;
            },
            cancellationToken);

    /// <inheritdoc cref="IBackfillStore.SaveBackfillAsync"/>
    public Task SaveBackfillAsync(BackfillRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        const string Upsert = $"""
            INSERT INTO backfill_jobs ({BackfillColumns})
            VALUES (@name, @definition, @status, @last_key, @rows_copied, @checksum, @started_at, @run_started_at, @run_start_rows, @updated_at, @last_error, @backup, @high_water, @skipped, @throttle, @source_rows)
            ON CONFLICT (name) DO UPDATE SET
                definition = excluded.definition, status = excluded.status, last_key = excluded.last_key,
                rows_copied = excluded.rows_copied, checksum = excluded.checksum, started_at = excluded.started_at,
                run_started_at = excluded.run_started_at, run_start_rows = excluded.run_start_rows,
                updated_at = excluded.updated_at, last_error = excluded.last_error,
                backup = excluded.backup, high_water = excluded.high_water, skipped = excluded.skipped, throttle = excluded.throttle,
                source_rows = excluded.source_rows
            """;
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            await connection.ExecuteAsync(
                transaction,
                Upsert,
                ct,
                ("name", record.Name),
                ("definition", record.Definition),
                ("status", record.Status.ToString().ToLowerInvariant()),
                ("last_key", record.LastKey),
                ("rows_copied", record.RowsCopied),
                ("checksum", record.Checksum),
                ("started_at", dialect.ToDatabase(SqlDialect.ToMilliseconds(record.StartedAt))),
                ("run_started_at", dialect.ToDatabase(SqlDialect.ToMilliseconds(record.RunStartedAt))),
                ("run_start_rows", record.RunStartRows),
                ("updated_at", dialect.ToDatabase(SqlDialect.ToMilliseconds(record.UpdatedAt))),
                ("last_error", record.LastError),
                ("backup", record.Backup),
                ("high_water", record.HighWater),
                ("skipped", record.Skipped),
                ("throttle", record.Throttle),
                ("source_rows", record.SourceRows));
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IBackfillStore.SaveBackfillVerifyAsync"/>
    public Task SaveBackfillVerifyAsync(string job, string verify, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        ArgumentNullException.ThrowIfNull(verify);
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            await connection.ExecuteAsync(transaction, "UPDATE backfill_jobs SET last_verify = @verify WHERE name = @name", ct, ("name", job), ("verify", verify));
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    private BackfillRecord ReadBackfill(DbDataReader reader)
    {
        var name = reader.GetString(0);
        var statusText = reader.GetString(2);
        if (!Enum.TryParse<BackfillStatus>(statusText, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            throw new InvalidDataException(
                $"The store {database.Description} holds status '{statusText}' for backfill job '{name}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        return new BackfillRecord(
            name,
            reader.GetString(1),
            status,
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetInt64(4),
            reader.GetString(5),
            dialect.ReadTime(reader, 6),
            dialect.ReadTime(reader, 7),
            reader.GetInt64(8),
            dialect.ReadTime(reader, 9),
            reader.IsDBNull(10) ? null : reader.GetString(10))
        {
            Backup = reader.IsDBNull(11) ? null : reader.GetString(11),
            HighWater = reader.IsDBNull(12) ? null : reader.GetString(12),
            Skipped = reader.IsDBNull(13) ? null : reader.GetString(13),
            Throttle = reader.IsDBNull(14) ? null : reader.GetString(14),
            SourceRows = reader.IsDBNull(15) ? null : reader.GetInt64(15),
            LastVerify = reader.IsDBNull(16) ? null : reader.GetString(16),
        };
    }
}
