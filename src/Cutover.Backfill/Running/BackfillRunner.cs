using System.Data.Common;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
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
    public static readonly TimeSpan LeaseTerm = JobLease.Term;

    /// <summary>Called after the schema check and after each checkpoint, on the run's thread.</summary>
    public Action<BackfillProgress>? Progress { get; init; }

    /// <summary>
    /// Runs <paramref name="job"/> from the beginning: a new job, a completed one (copied again), or
    /// with <paramref name="restart"/> one with a checkpoint. A job with an unfinished checkpoint is
    /// refused without <paramref name="restart"/>, pointing at <c>resume</c>.
    /// </summary>
    public Task<BackfillRecord> RunAsync(BackfillJob job, bool restart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var lease = new JobLease(store, time, job.Name);
        return lease.HoldAsync(async ct =>
        {
            var existing = await store.GetBackfillAsync(job.Name, ct);
            if (existing is { Status: not BackfillStatus.Completed } && !restart)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{job.Name}' has a checkpoint in {store.Description}: {existing.RowsCopied} rows copied up to key {KeyCodec.Display(existing.LastKey)} ({Text(existing.Status)}). " +
                    $"Run `cutover backfill resume {job.Name}` to continue from there, or add --restart to copy from the beginning.");
            }

            var now = Now();
            return await CopyAsync(job, lease, new BackfillRecord(job.Name, job.Definition, BackfillStatus.Running, null, 0, new RowChecksum().Value, now, now, 0, now, null), ct);
        }, cancellationToken);
    }

    /// <summary>Continues the job called <paramref name="name"/> from its checkpoint, with the definition stored when it was started.</summary>
    public Task<BackfillRecord> ResumeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var lease = new JobLease(store, time, name);
        return lease.HoldAsync(async ct =>
        {
            var existing = await store.GetBackfillAsync(name, ct)
                ?? throw new BackfillRefusedException($"There is no backfill job '{name}' in {store.Description}; start it with `cutover backfill run -f JOB.yaml` (check --store or CUTOVER_STORE if it ran elsewhere).");
            if (existing.Status == BackfillStatus.Completed)
            {
                throw new BackfillRefusedException(
                    $"Backfill job '{name}' completed ({existing.RowsCopied} rows); there is nothing to resume. Run `cutover backfill run -f JOB.yaml` to copy it again.");
            }

            var job = BackfillJobFile.Parse(existing.Definition, $"(the definition of '{name}' stored in {store.Description})");
            return await CopyAsync(job, lease, existing, ct);
        }, cancellationToken);
    }

    private async Task<BackfillRecord> CopyAsync(BackfillJob job, JobLease lease, BackfillRecord record, CancellationToken cancellationToken)
    {
        await using var databases = await JobDatabases.OpenAsync(job, cancellationToken);
        await using var source = await BatchPaths.SourceAsync(databases, job, cancellationToken);
        await using var target = BatchPaths.Target(databases, job);
        var total = await source.CountAsync(cancellationToken);

        var now = Now();
        record = record with { Definition = job.Definition, Status = BackfillStatus.Running, RunStartedAt = now, RunStartRows = record.RowsCopied, UpdatedAt = now, LastError = null };
        await store.SaveBackfillAsync(record, cancellationToken);
        Progress?.Invoke(BackfillProgress.Of(record, total, now));

        var limiter = new RowRateLimiter(job.RateLimit, time);
        var checksum = RowChecksum.Parse(record.Checksum);
        IReadOnlyList<object?>? lastKey = record.LastKey is null ? null : KeyCodec.Decode(record.LastKey);
        var reading = ReadAsync(source, limiter, lastKey, job.BatchSize, cancellationToken);
        try
        {
            while (true)
            {
                var rows = await reading;
                limiter.Copied(rows.Count);
                var done = rows.Count < job.BatchSize;
                if (rows.Count > 0)
                {
                    lastKey = job.KeyColumns.Select(i => rows[^1][i]).ToList();
                }

                // The next batch is read while this one is written (source and target are separate
                // connections), so neither database waits for the other; at most two batches are in memory.
                reading = done ? Task.FromResult<IReadOnlyList<object?[]>>([]) : ReadAsync(source, limiter, lastKey, job.BatchSize, cancellationToken);
                if (rows.Count > 0)
                {
                    await target.WriteAsync(rows, cancellationToken);
                    foreach (var row in rows)
                    {
                        checksum.Add(row);
                    }
                }

                record = record with
                {
                    Status = done ? BackfillStatus.Completed : BackfillStatus.Running,
                    LastKey = lastKey is null ? null : KeyCodec.Encode(lastKey),
                    RowsCopied = record.RowsCopied + rows.Count,
                    Checksum = checksum.Value,
                    UpdatedAt = Now(),
                };
                await store.SaveBackfillAsync(record, cancellationToken);
                Progress?.Invoke(BackfillProgress.Of(record, total, record.UpdatedAt));
                if (done)
                {
                    return record;
                }

                await lease.RenewAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Stopped, UpdatedAt = Now() }, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is DbException or RowRejectedException or InvalidCastException or BackfillFailedException)
        {
            await store.SaveBackfillAsync(record with { Status = BackfillStatus.Failed, UpdatedAt = Now(), LastError = e.Message }, CancellationToken.None);
            throw e as BackfillFailedException ?? new BackfillFailedException(
                $"Backfill job '{job.Name}' failed after {record.RowsCopied} rows (checkpoint at key {KeyCodec.Display(record.LastKey)}): {e.Message.TrimEnd('.')}. " +
                $"Fix the cause and run `cutover backfill resume {job.Name}`; the batch that failed is copied again.",
                e);
        }
        finally
        {
            await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The batch after <paramref name="after"/>, once the rate limit allows it to start.</summary>
    private static async Task<IReadOnlyList<object?[]>> ReadAsync(IBatchSource source, RowRateLimiter limiter, IReadOnlyList<object?>? after, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await limiter.WaitAsync(cancellationToken);
        return await source.ReadAsync(after, limit, cancellationToken);
    }

    /// <summary>Now in whole milliseconds, the precision the store keeps, so a returned record equals the stored one.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private static string Text(BackfillStatus status) => status.ToString().ToLowerInvariant();
}
