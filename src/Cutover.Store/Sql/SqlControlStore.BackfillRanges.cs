using System.Data.Common;
using System.Globalization;

namespace Cutover.Store.Sql;

/// <summary>
/// The key ranges of split backfill jobs (schema step 10): claimed by workers in several processes
/// or machines, each range checkpointed by its holder alone, so workers never contend on one row.
/// </summary>
internal abstract partial class SqlControlStore
{
    private const string RangeColumns = "job, ordinal, after_key, up_to, status, holder, last_key, rows_copied, checksum, skipped, updated_at";

    /// <summary>
    /// What to append to the claim's SELECT so that concurrent claims pass over a row another claim
    /// has locked instead of waiting for it (and then both taking it); empty when the write
    /// transaction already lets one writer in at a time.
    /// </summary>
    protected abstract string SkipLockedSuffix { get; }

    /// <inheritdoc />
    public Task SplitBackfillAsync(string job, IReadOnlyList<BackfillRange> ranges, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        ArgumentNullException.ThrowIfNull(ranges);
        return RunAsync(async (connection, ct) =>
        {
            await using var transaction = await BeginWriteAsync(connection, ct);
            await ExecuteAsync(connection, transaction, "DELETE FROM backfill_ranges WHERE job = @job", ct, ("job", job));
            foreach (var range in ranges)
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    $"INSERT INTO backfill_ranges ({RangeColumns}, expires_at) VALUES (@job, @ordinal, @after_key, @up_to, @status, @holder, @last_key, @rows_copied, @checksum, @skipped, @updated_at, NULL)",
                    ct,
                    RangeParameters(range));
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BackfillRange>> GetBackfillRangesAsync(string job, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<BackfillRange>>(async (connection, ct) => await ReadRangesAsync(connection, job, ct), cancellationToken);

    /// <inheritdoc />
    public Task<BackfillRange?> ClaimBackfillRangeAsync(string job, string holder, TimeSpan term, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var find = $"""
            SELECT ordinal FROM backfill_ranges
            WHERE job = @job AND (status = 'pending' OR (status = 'running' AND expires_at < @now))
            ORDER BY ordinal LIMIT 1{SkipLockedSuffix}
            """;
        return RunAsync(async (connection, ct) =>
        {
            var now = Now();
            await using var transaction = await BeginWriteAsync(connection, ct);
            object? found;
            await using (var command = Command(connection, transaction, find, ("job", job), ("now", ToDatabase(now))))
            {
                found = await command.ExecuteScalarAsync(ct);
            }

            if (found is null or DBNull)
            {
                return null;
            }

            var ordinal = Convert.ToInt32(found, CultureInfo.InvariantCulture);
            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE backfill_ranges SET status = 'running', holder = @holder, expires_at = @expires_at, updated_at = @now WHERE job = @job AND ordinal = @ordinal",
                ct,
                ("holder", holder),
                ("expires_at", ToDatabase(now + term)),
                ("now", ToDatabase(now)),
                ("job", job),
                ("ordinal", ordinal));
            await transaction.CommitAsync(ct);
            return (await ReadRangesAsync(connection, job, ct)).Single(r => r.Index == ordinal);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SaveBackfillRangeAsync(BackfillRange range, TimeSpan term, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        const string Save = """
            UPDATE backfill_ranges SET status = @status, holder = @new_holder, expires_at = @expires_at, last_key = @last_key,
                rows_copied = @rows_copied, checksum = @checksum, skipped = @skipped, updated_at = @updated_at
            WHERE job = @job AND ordinal = @ordinal AND holder = @holder
            """;
        return RunAsync(async (connection, ct) =>
        {
            var given = range.Status == BackfillRangeStatus.Pending;
            await using var transaction = await BeginWriteAsync(connection, ct);
            var saved = await ExecuteAsync(
                connection,
                transaction,
                Save,
                ct,
                [.. RangeParameters(range), ("new_holder", given ? null : range.Holder), ("expires_at", given ? null : ToDatabase(Now() + term))]);
            await transaction.CommitAsync(ct);
            return saved == 1;
        }, cancellationToken);
    }

    /// <summary>The record with its ranges, and for a split job the rows copied summed over them, as every reader of a job sees it.</summary>
    private async Task<BackfillRecord> WithRangesAsync(DbConnection connection, BackfillRecord record, CancellationToken cancellationToken)
    {
        var ranges = await ReadRangesAsync(connection, record.Name, cancellationToken);
        return ranges.Count == 0 ? record : record with { Ranges = ranges, RowsCopied = ranges.Sum(r => r.RowsCopied) };
    }

    private async Task<List<BackfillRange>> ReadRangesAsync(DbConnection connection, string job, CancellationToken cancellationToken) =>
        await QueryAsync(connection, $"SELECT {RangeColumns} FROM backfill_ranges WHERE job = @job ORDER BY ordinal", ReadRange, cancellationToken, ("job", job));

    private BackfillRange ReadRange(DbDataReader reader)
    {
        var statusText = reader.GetString(4);
        if (!Enum.TryParse<BackfillRangeStatus>(statusText, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            throw new InvalidDataException(
                $"The store {Description} holds status '{statusText}' for a range of backfill job '{reader.GetString(0)}', which this build of Cutover does not know. Run the newer Cutover that wrote it.");
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
            ReadTime(reader, 10))
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
        ("updated_at", ToDatabase(ToMilliseconds(range.UpdatedAt))),
    ];
}
