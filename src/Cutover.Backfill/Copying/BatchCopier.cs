using System.Data;
using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.PassThrough;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Targets;
using Cutover.Backfill.Throttling;
using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.Copying;

/// <summary>
/// A job's open <see cref="JobDatabases"/>: copies one batch at a time, tells a lost connection
/// from any other error, and reopens both sides so the runner can retry the batch.
/// </summary>
/// <remarks>
/// An error counts as a lost connection when the connection is no longer open after it (the
/// server closed it, the network dropped) or the provider calls it transient (SQLite busy or
/// locked, a PostgreSQL failover); it is then thrown as a <see cref="BackfillDatabaseException"/>
/// naming the side and what to check. Any other error (a row the target rejects, bad SQL) is
/// thrown as it is, because copying the batch again would fail the same way.
/// </remarks>
internal sealed class BatchCopier : IAsyncDisposable
{
    private readonly BackfillJob _job;
    private readonly ChangedSince? _changedSince;
    private readonly KeyRange? _range;
    private Side<IBatchSource> _source;
    private Side<IBatchTarget> _target;
    private PassThroughCopy? _passThrough;

    private BatchCopier(
        BackfillJob job, ChangedSince? changedSince, KeyRange? range, (JobDatabases Databases, Side<IBatchSource> Source, Side<IBatchTarget> Target, PassThroughCopy? PassThrough) sides)
    {
        _job = job;
        _changedSince = changedSince;
        _range = range;
        (Databases, _source, _target, _passThrough) = sides;
    }

    /// <summary>The databases as now connected, for the reads and writes around the batches (backup, high-water mark).</summary>
    public JobDatabases Databases { get; private set; }

    /// <summary>
    /// Opens both databases and checks the job against them (throwing <see cref="SchemaMismatchException"/>
    /// naming every mismatch); with <paramref name="changedSince"/> (a catch-up pass) only the rows changed since its mark are copied.
    /// Reads and writes go through <see cref="BatchPaths"/>: binary COPY on PostgreSQL, SELECT and upsert elsewhere.
    /// </summary>
    public static async Task<BatchCopier> OpenAsync(BackfillJob job, ChangedSince? changedSince, CancellationToken cancellationToken) =>
        new(job, changedSince, null, await AttachAsync(job, changedSince, null, await JobDatabases.OpenAsync(job, cancellationToken), cancellationToken));

    /// <summary>Opens both databases like <see cref="OpenAsync(BackfillJob, ChangedSince?, CancellationToken)"/>, reading only the keys of <paramref name="range"/> (a split job's worker).</summary>
    public static async Task<BatchCopier> OpenAsync(BackfillJob job, KeyRange range, CancellationToken cancellationToken) =>
        new(job, null, range, await AttachAsync(job, null, range, await JobDatabases.OpenAsync(job, cancellationToken), cancellationToken));

    /// <summary>The source's rows now, for the progress display.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) => _source.Guard(s => s.CountAsync(cancellationToken));

    /// <summary>
    /// Copies the batch after <paramref name="lastKey"/>. When <paramref name="transform"/> passes
    /// rows through unchanged, the pass-through copy is tried first (timed for <paramref name="throttle"/>);
    /// otherwise, or when it declines the batch, the rows are read and, when there are any, handed to
    /// <paramref name="write"/> with the target (which writes them in one transaction and returns the
    /// rows kept and the rows left out).
    /// </summary>
    public async Task<CopiedBatch> CopyAsync(
        IReadOnlyList<object?>? lastKey,
        BatchTransform transform,
        AdaptiveThrottle throttle,
        Func<IReadOnlyList<object?[]>, IBatchTarget, Task<(List<object?[]> Kept, List<RowRejection> Left)>> write,
        CancellationToken cancellationToken)
    {
        if (_passThrough is { } passThrough && transform.PassesThrough)
        {
            var started = throttle.WriteStarting();
            if (await PassThroughAsync(passThrough, lastKey, cancellationToken) is { } passed)
            {
                throttle.Wrote(started);
                return CopiedBatch.Of(passed);
            }
        }

        var rows = await _source.Guard(s => s.ReadAsync(lastKey, _job.BatchSize, cancellationToken));
        var (kept, left) = rows.Count == 0 ? ([], []) : await _target.Guard(t => write(rows, t));
        return CopiedBatch.Of(_job, rows, kept, left);
    }

    /// <summary>Closes both connections and opens them again, keeping the schema checked at the start.</summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken) =>
        (Databases, _source, _target, _passThrough) = await AttachAsync(_job, _changedSince, _range, await Databases.ReopenAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    /// <summary>
    /// The pass-through copy of one batch; a lost connection becomes a <see cref="BackfillDatabaseException"/>
    /// naming the side that lost it (the source when both did, since it is read first).
    /// </summary>
    private async Task<PassedBatch?> PassThroughAsync(PassThroughCopy passThrough, IReadOnlyList<object?>? lastKey, CancellationToken cancellationToken)
    {
        try
        {
            return await passThrough.CopyAsync(lastKey, _job.BatchSize, cancellationToken);
        }
        catch (DbException e) when (e.IsTransient || passThrough.Connections.Source.State != ConnectionState.Open || passThrough.Connections.Target.State != ConnectionState.Open)
        {
            throw passThrough.Connections.Source.State != ConnectionState.Open || passThrough.Connections.Target.State == ConnectionState.Open
                ? Databases.Source.Unavailable("source", e)
                : Databases.Target.Unavailable("target", e);
        }
    }

    /// <summary>
    /// The source and target over <paramref name="databases"/>' connections, and the pass-through
    /// copy between them where it applies; choosing them reads column types, so a connection lost
    /// meanwhile is reported like one lost mid-batch.
    /// </summary>
    private static async Task<(JobDatabases, Side<IBatchSource>, Side<IBatchTarget>, PassThroughCopy?)> AttachAsync(
        BackfillJob job, ChangedSince? changedSince, KeyRange? range, JobDatabases databases, CancellationToken cancellationToken)
    {
        try
        {
            var source = await GuardAsync("source", databases.Source, databases.SourceConnection, async () => await BatchPaths.SourceAsync(
                range is null ? databases : await range.NarrowAsync(databases, job, cancellationToken), job, changedSince, cancellationToken));
            var passThrough = await GuardAsync("target", databases.Target, databases.TargetConnection, () => BatchPaths.PassThroughAsync(databases, job, source, range, cancellationToken));
            return (databases,
                    new Side<IBatchSource>("source", databases.Source, databases.SourceConnection, source),
                    new Side<IBatchTarget>("target", databases.Target, databases.TargetConnection, BatchPaths.Target(databases, job)),
                    passThrough);
        }
        catch
        {
            await databases.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> over <paramref name="connection"/>; an error that lost it becomes a <see cref="BackfillDatabaseException"/> naming <paramref name="role"/>.</summary>
    private static async Task<TResult> GuardAsync<TResult>(string role, BackfillDatabase database, DbConnection connection, Func<Task<TResult>> work)
    {
        try
        {
            return await work();
        }
        catch (DbException e) when (e.IsTransient || connection.State != ConnectionState.Open)
        {
            throw database.Unavailable(role, e);
        }
    }

    /// <summary>One side's connection and the source or target over it, which owns the connection.</summary>
    private sealed class Side<T>(string role, BackfillDatabase database, DbConnection connection, T user) : IAsyncDisposable
        where T : IAsyncDisposable
    {
        /// <summary>Runs <paramref name="work"/>; an error that lost the connection becomes a <see cref="BackfillDatabaseException"/> naming this side.</summary>
        public Task<TResult> Guard<TResult>(Func<T, Task<TResult>> work) => GuardAsync(role, database, connection, () => work(user));

        public ValueTask DisposeAsync() => user.DisposeAsync();
    }
}
