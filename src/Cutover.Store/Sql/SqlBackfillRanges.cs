using System.Data.Common;
using System.Globalization;

namespace Cutover.Store.Sql;

/// <summary>
/// The key ranges of split backfill jobs (schema step 10): claimed by workers in several processes
/// or machines, each range checkpointed by its holder alone, so workers never contend on one row.
/// </summary>
internal sealed class SqlBackfillRanges(SqlDatabase database)
{
    private const string RangeColumns = "job, ordinal, after_key, up_to, status, holder, last_key, rows_copied, checksum, skipped, updated_at";

    private readonly SqlDialect dialect = database.Dialect;

    /// <inheritdoc cref="IBackfillStore.SplitBackfillAsync"/>
    public Task SplitBackfillAsync(string job, IReadOnlyList<BackfillRange> ranges, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        ArgumentNullException.ThrowIfNull(ranges);
        return database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            await connection.ExecuteAsync(transaction, "DELETE FROM backfill_ranges WHERE job = @job", ct, ("job", job));
            foreach (var range in ranges)
            {
                await connection.ExecuteAsync(
                    transaction,
                    $"INSERT INTO backfill_ranges ({RangeColumns}, expires_at) VALUES (@job, @ordinal, @after_key, @up_to, @status, @holder, @last_key, @rows_copied, @checksum, @skipped, @updated_at, NULL)",
                    ct,
                    RangeParameters(range));
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IBackfillStore.GetBackfillRangesAsync"/>
    public Task<IReadOnlyList<BackfillRange>> GetBackfillRangesAsync(string job, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<BackfillRange>>(async (connection, ct) => await ReadRangesAsync(connection, job, ct), cancellationToken);

    /// <inheritdoc cref="IBackfillStore.ClaimBackfillRangeAsync"/>
    public Task<BackfillRange?> ClaimBackfillRangeAsync(string job, string holder, TimeSpan term, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var find = $"""
            SELECT ordinal FROM backfill_ranges
            WHERE job = @job AND (status = 'pending' OR (status = 'running' AND expires_at < @now))
            ORDER BY ordinal LIMIT 1{dialect.SkipLockedSuffix}
            """;
        return database.RunAsync(async (connection, ct) =>
        {
            var now = database.Now();
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var found = await connection.ScalarAsync(transaction, find, ct, ("job", job), ("now", dialect.ToDatabase(now)));
            if (found is null or DBNull)
            {
                return null;
            }

            var ordinal = Convert.ToInt32(found, CultureInfo.InvariantCulture);
            await connection.ExecuteAsync(
                transaction,
                "UPDATE backfill_ranges SET status = 'running', holder = @holder, expires_at = @expires_at, updated_at = @now WHERE job = @job AND ordinal = @ordinal",
                ct,
                ("holder", holder),
                ("expires_at", dialect.ToDatabase(now + term)),
                ("now", dialect.ToDatabase(now)),
                ("job", job),
                ("ordinal", ordinal));
            await transaction.CommitAsync(ct);
            return (await ReadRangesAsync(connection, job, ct)).Single(r => r.Index == ordinal);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IBackfillStore.SaveBackfillRangeAsync"/>
    public Task<bool> SaveBackfillRangeAsync(BackfillRange range, TimeSpan term, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        const string Save = """
            UPDATE backfill_ranges SET status = @status, holder = @new_holder, expires_at = @expires_at, last_key = @last_key,
                rows_copied = @rows_copied, checksum = @checksum, skipped = @skipped, updated_at = @updated_at
            WHERE job = @job AND ordinal = @ordinal AND holder = @holder
            """;
        return database.RunAsync(async (connection, ct) =>
        {
            var given = range.Status == BackfillRangeStatus.Pending;
            await using var transaction = await database.BeginWriteAsync(connection, ct);
            var saved = await connection.ExecuteAsync(
                transaction,
                Save,
                ct,
                [.. RangeParameters(range), ("new_holder", given ? null : range.Holder), ("expires_at", given ? null : dialect.ToDatabase(database.Now() + term))]);
            await transaction.CommitAsync(ct);
            return saved == 1;
        }, cancellationToken);
    }

    /// <summary>The record with its ranges, and for a split job the rows copied summed over them, as every reader of a job sees it.</summary>
    public async Task<BackfillRecord> WithRangesAsync(DbConnection connection, BackfillRecord record, CancellationToken cancellationToken)
    {
        var ranges = await ReadRangesAsync(connection, record.Name, cancellationToken);
        return ranges.Count == 0 ? record : record with { Ranges = ranges, RowsCopied = ranges.Sum(r => r.RowsCopied) };
    }

    private async Task<List<BackfillRange>> ReadRangesAsync(DbConnection connection, string job, CancellationToken cancellationToken) =>
        await connection.QueryAsync($"SELECT {RangeColumns} FROM backfill_ranges WHERE job = @job ORDER BY ordinal", ReadRange, cancellationToken, ("job", job));

    private BackfillRange ReadRange(DbDataReader reader)
    {
        var statusText = reader.GetString(4);
        if (!Enum.TryParse<BackfillRangeStatus>(statusText, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            throw new InvalidDataException(
                $"The store {database.Description} holds status '{statusText}' for a range of backfill job '{reader.GetString(0)}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
        }

        return new BackfillRange(
            reader.GetString(0),
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            status,
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7),
            reader.GetString(8),
            dialect.ReadTime(reader, 10))
        {
            Skipped = reader.IsDBNull(9) ? null : reader.GetString(9),
        };
    }

    private (string Name, object? Value)[] RangeParameters(BackfillRange range) =>
    [
        ("job", range.Job),
        ("ordinal", range.Index),
        ("after_key", range.After),
        ("up_to", range.UpTo),
        ("status", range.Status.ToString().ToLowerInvariant()),
        ("holder", range.Holder),
        ("last_key", range.LastKey),
        ("rows_copied", range.RowsCopied),
        ("checksum", range.Checksum),
        ("skipped", range.Skipped),
        ("updated_at", dialect.ToDatabase(SqlDialect.ToMilliseconds(range.UpdatedAt))),
    ];
}
