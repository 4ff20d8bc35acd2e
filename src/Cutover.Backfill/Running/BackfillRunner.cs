using System.Data.Common;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Targets;
using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>
/// Runs a backfill job: takes the job's lease so one run goes at a time, checks the schema, then
/// copies batch after batch (read by key, upserted in one target transaction, then checkpointed
/// in the store) until the source is done, keeping under the rate limit.
/// </summary>
/// <remarks>
/// Crash safety follows from the order: a batch is committed in the target before its checkpoint
/// is written. A crash before the commit leaves neither; a crash between the two leaves the batch
/// in the target and the checkpoint before it, so the next run reads and upserts the same rows
/// again, which changes nothing. The checkpoint (key, count, checksum) is written in one store
/// transaction, so it always describes a whole number of committed batches.
/// </remarks>
public sealed class BackfillRunner(IBackfillStore store, TimeProvider time)
{
    /// <summary>How long a run's hold on its job lasts without renewal; a run that died is taken over after it. Renewed every third of it.</summary>
    public static readonly TimeSpan LeaseTerm = TimeSpan.FromSeconds(30);

    private readonly string _holder = RunHolder.New();

    /// <summary>Called after the schema check and after each checkpoint, on the run's thread.</summary>
    public Action<BackfillProgress>? Progress { get; init; }

    /// <summary>Called when a lost connection is about to be retried, before the wait, on the run's thread.</summary>
    public Action<BackfillRetry>? Retrying { get; init; }

    /// <summary>
    /// Runs <paramref name="job"/> from the beginning: a new job, a completed one (copied again), or
    /// with <paramref name="restart"/> one with a checkpoint. A job with an unfinished checkpoint is
    /// refused without <paramref name="restart"/>, pointing at <c>resume</c>.
    /// </summary>
    public Task<BackfillRecord> RunAsync(BackfillJob job, bool restart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return LeasedAsync(job.Name, async ct =>
        {
            var existing = await store.GetBackfillAsync(job.Name, ct);
            if (existing is { Status: not BackfillStatus.Completed } && !restart)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{job.Name}' has a checkpoint in {store.Description}: {existing.RowsCopied} rows copied up to key {KeyCodec.Display(existing.LastKey)} ({Text(existing.Status)}). " +
                    $"Run `cutover backfill resume {job.Name}` to continue from there, or add --restart to copy from the beginning.");
            }

            var now = Now();
            return await CopyAsync(job, new BackfillRecord(job.Name, job.Definition, BackfillStatus.Running, null, 0, new RowChecksum().Value, now, now, 0, now, null), ct);
        }, cancellationToken);
    }

    /// <summary>Continues the job called <paramref name="name"/> from its checkpoint, with the definition stored when it was started.</summary>
    public Task<BackfillRecord> ResumeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return LeasedAsync(name, async ct =>
        {
            var existing = await store.GetBackfillAsync(name, ct)
                ?? throw new BackfillRefusedException($"There is no backfill job '{name}' in {store.Description}; start it with `cutover backfill run -f JOB.yaml` (check --store or CUTOVER_STORE if it ran elsewhere).");
            if (existing.Status == BackfillStatus.Completed)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' completed ({existing.RowsCopied} rows); there is nothing to resume. Run `cutover backfill run -f JOB.yaml` to copy it again.");
            }

            var job = BackfillJobFile.Parse(existing.Definition, $"(the definition of '{name}' stored in {store.Description})");
            return await CopyAsync(job, existing, ct);
        }, cancellationToken);
    }

    private async Task<BackfillRecord> LeasedAsync(string name, Func<CancellationToken, Task<BackfillRecord>> run, CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        if (!await TryTakeAsync(name, cancellationToken))
        {
            throw new BackfillRefusedException(
                $"Backfill job '{name}' is already running (another `cutover backfill run` or `resume` holds it in {store.Description}). " +
                $"Watch it with `cutover backfill status {name}`, or stop that process first; if it died on another machine, its hold expires within {LeaseTerm.TotalSeconds:0} seconds (a run that died on this one is taken over at once).");
        }

        try
        {
            return await run(cancellationToken);
        }
        finally
        {
            await store.ReleaseLeaseAsync(LeaseName(name), _holder, CancellationToken.None);
        }
    }

    /// <summary>Takes the job's lease; a holder that died on this machine (a killed run) is released first rather than waited out.</summary>
    private async Task<bool> TryTakeAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.TryLeaseAsync(LeaseName(name), _holder, LeaseTerm, cancellationToken))
        {
            return true;
        }

        if (await store.GetLeaseHolderAsync(LeaseName(name), cancellationToken) is not { } holder || !RunHolder.DiedHere(holder))
        {
            return false;
        }

        await store.ReleaseLeaseAsync(LeaseName(name), holder, cancellationToken);
        return await store.TryLeaseAsync(LeaseName(name), _holder, LeaseTerm, cancellationToken);
    }

    private async Task<BackfillRecord> CopyAsync(BackfillJob job, BackfillRecord record, CancellationToken cancellationToken)
    {
        await using var copier = await BatchCopier.OpenAsync(job, cancellationToken);
        var total = await copier.CountAsync(cancellationToken);

        var now = Now();
        record = record with { Definition = job.Definition, Status = BackfillStatus.Running, RunStartedAt = now, RunStartRows = record.RowsCopied, UpdatedAt = now, LastError = null };
        await store.SaveBackfillAsync(record, cancellationToken);
        Progress?.Invoke(BackfillProgress.Of(record, total, now));

        var limiter = new RowRateLimiter(job.RateLimit, time);
        var checksum = RowChecksum.Parse(record.Checksum);
        IReadOnlyList<object?>? lastKey = record.LastKey is null ? null : KeyCodec.Decode(record.LastKey);
        var lease = new LeaseClock(now);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await limiter.WaitAsync(cancellationToken);
                var rows = await CopyBatchAsync(copier, job, record, lastKey, lease, cancellationToken);
                if (rows.Count > 0)
                {
                    foreach (var row in rows)
                    {
                        checksum.Add(row);
                    }

                    limiter.Copied(rows.Count);
                    lastKey = job.KeyColumns.Select(i => rows[^1][i]).ToList();
                }

                var done = rows.Count < job.BatchSize;
                record = record with
                {
                    Status = done ? BackfillStatus.Completed : BackfillStatus.Running,
                    LastKey = lastKey is null ? null : KeyCodec.Encode(lastKey),
                    RowsCopied = record.RowsCopied + rows.Count,
                    Checksum = checksum.Value,
                    UpdatedAt = Now(),
                    LastError = null,
                };
                await store.SaveBackfillAsync(record, cancellationToken);
                Progress?.Invoke(BackfillProgress.Of(record, total, record.UpdatedAt));
                if (done)
                {
                    return record;
                }

                await RenewAsync(job.Name, lease, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Stopped, UpdatedAt = Now() }, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is DbException or RowRejectedException or InvalidCastException or BackfillDatabaseException or BackfillFailedException)
        {
            var retried = e is BackfillDatabaseException && job.Retries.Attempts > 0
                ? $" and {job.Retries.Attempts} {(job.Retries.Attempts == 1 ? "retry" : "retries")} of the lost connection"
                : string.Empty;
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Failed, UpdatedAt = Now(), LastError = e.Message }, CancellationToken.None);
            throw e as BackfillFailedException ?? new BackfillFailedException(
                $"Backfill job '{job.Name}' failed after {record.RowsCopied} rows (checkpoint at key {KeyCodec.Display(record.LastKey)}){retried}: {e.Message.TrimEnd('.')}. " +
                $"Fix the cause and run `cutover backfill resume {job.Name}`; the batch that failed is copied again.",
                e);
        }
    }

    /// <summary>
    /// Copies the batch after <paramref name="lastKey"/>; when a connection is lost, records the
    /// error on the job, waits as the job's retries say, reconnects both sides and copies the same
    /// batch again. The checkpoint does not move until a copy succeeds, so a retry never skips or
    /// double-counts a row; the last failure is thrown when the retries are spent.
    /// </summary>
    private async Task<IReadOnlyList<object?[]>> CopyBatchAsync(
        BatchCopier copier, BackfillJob job, BackfillRecord record, IReadOnlyList<object?>? lastKey, LeaseClock lease, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (attempt > 0)
                {
                    await copier.ReconnectAsync(cancellationToken);
                }

                return await copier.CopyAsync(lastKey, cancellationToken);
            }
            catch (BackfillDatabaseException e) when (attempt < job.Retries.Attempts)
            {
                var retry = new BackfillRetry(job.Name, attempt + 1, job.Retries.Attempts, job.Retries.WaitBefore(attempt + 1), e.Message);
                await store.SaveBackfillAsync(record with { UpdatedAt = Now(), LastError = retry.ToString() }, cancellationToken);
                Retrying?.Invoke(retry);
                await Task.Delay(retry.Wait, time, cancellationToken);
                await RenewAsync(job.Name, lease, cancellationToken);
            }
        }
    }

    /// <summary>Renews the job's lease once a third of its term has passed; a run that lost it stops rather than race the run that took it.</summary>
    private async Task RenewAsync(string name, LeaseClock lease, CancellationToken cancellationToken)
    {
        var now = Now();
        if (now - lease.RenewedAt < LeaseTerm / 3)
        {
            return;
        }

        if (!await store.TryLeaseAsync(LeaseName(name), _holder, LeaseTerm, cancellationToken))
        {
            throw new BackfillFailedException(
                $"Backfill job '{name}' lost its hold in {store.Description} to another run (this one went {LeaseTerm.TotalSeconds:0} seconds without renewing it) and stopped; watch the other with `cutover backfill status {name}`.");
        }

        lease.RenewedAt = now;
    }

    /// <summary>Now in whole milliseconds, the precision the store keeps, so a returned record equals the stored one.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>When this run last renewed its lease; shared by the batch loop and the retries.</summary>
    private sealed class LeaseClock(DateTimeOffset renewedAt)
    {
        public DateTimeOffset RenewedAt { get; set; } = renewedAt;
    }

    private static string LeaseName(string job) => "backfill:" + job;

    private static string Text(BackfillStatus status) => status.ToString().ToLowerInvariant();
}
