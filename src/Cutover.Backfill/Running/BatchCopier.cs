using System.Data;
using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Targets;

namespace Cutover.Backfill.Running;

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
    private Side<IBatchSource> _source;
    private Side<IBatchTarget> _target;

    private BatchCopier(BackfillJob job, JobDatabases databases, ChangedSince? changedSince)
    {
        _job = job;
        _changedSince = changedSince;
        (Databases, _source, _target) = Attach(databases);
    }

    /// <summary>The databases as now connected, for the reads and writes around the batches (backup, high-water mark).</summary>
    public JobDatabases Databases { get; private set; }

    /// <summary>
    /// Opens both databases and checks the job against them (throwing <see cref="SchemaMismatchException"/>
    /// naming every mismatch); with <paramref name="changedSince"/> (a catch-up pass) only the rows changed since its mark are copied.
    /// </summary>
    public static async Task<BatchCopier> OpenAsync(BackfillJob job, ChangedSince? changedSince, CancellationToken cancellationToken) =>
        new(job, await JobDatabases.OpenAsync(job, cancellationToken), changedSince);

    /// <summary>The source's rows now, for the progress display.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) => _source.Guard(s => s.CountAsync(cancellationToken));

    /// <summary>
    /// Reads the batch after <paramref name="lastKey"/> and, when it has rows, hands them to
    /// <paramref name="write"/> with the target (which writes them in one transaction); returns the
    /// rows read and what <paramref name="write"/> returned, null for an empty batch.
    /// </summary>
    public async Task<(IReadOnlyList<object?[]> Rows, T? Written)> CopyAsync<T>(
        IReadOnlyList<object?>? lastKey, Func<IReadOnlyList<object?[]>, IBatchTarget, Task<T>> write, CancellationToken cancellationToken)
        where T : class
    {
        var rows = await _source.Guard(s => s.ReadAsync(lastKey, _job.BatchSize, cancellationToken));
        return rows.Count == 0 ? (rows, null) : (rows, await _target.Guard(t => write(rows, t)));
    }

    /// <summary>Closes both connections and opens them again, keeping the schema checked at the start.</summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken) =>
        (Databases, _source, _target) = Attach(await Databases.ReopenAsync(cancellationToken));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    private (JobDatabases, Side<IBatchSource>, Side<IBatchTarget>) Attach(JobDatabases databases) =>
        (databases,
         new Side<IBatchSource>("source", databases.Source, databases.SourceConnection, new KeysetSource(databases.SourceConnection, _job, databases.Schema.SourceFrom, _changedSince)),
         new Side<IBatchTarget>("target", databases.Target, databases.TargetConnection, new UpsertTarget(databases.TargetConnection, databases.Target, _job, databases.Schema.Target, databases.Schema.TargetColumns)));

    /// <summary>One side's connection and the source or target over it, which owns the connection.</summary>
    private sealed class Side<T>(string role, BackfillDatabase database, DbConnection connection, T user) : IAsyncDisposable
        where T : IAsyncDisposable
    {
        /// <summary>Runs <paramref name="work"/>; an error that lost the connection becomes a <see cref="BackfillDatabaseException"/> naming this side.</summary>
        public async Task<TResult> Guard<TResult>(Func<T, Task<TResult>> work)
        {
            try
            {
                return await work(user);
            }
            catch (DbException e) when (e.IsTransient || connection.State != ConnectionState.Open)
            {
                throw database.Unavailable(role, e);
            }
        }

        public ValueTask DisposeAsync() => user.DisposeAsync();
    }
}
