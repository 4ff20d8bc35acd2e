using System.Data;
using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Targets;

namespace Cutover.Backfill.Running;

/// <summary>
/// A job's open source and target: copies one batch at a time, tells a lost connection from any
/// other error, and reconnects both sides so the runner can retry the batch.
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
    private readonly BackfillDatabase _sourceDatabase;
    private readonly BackfillDatabase _targetDatabase;
    private readonly CheckedSchema _schema;
    private Side<IBatchSource>? _source;
    private Side<IBatchTarget>? _target;

    private BatchCopier(BackfillJob job, BackfillDatabase sourceDatabase, BackfillDatabase targetDatabase, CheckedSchema schema)
    {
        _job = job;
        _sourceDatabase = sourceDatabase;
        _targetDatabase = targetDatabase;
        _schema = schema;
    }

    /// <summary>Opens both databases and checks the job against them; throws <see cref="SchemaMismatchException"/> naming every mismatch.</summary>
    public static async Task<BatchCopier> OpenAsync(BackfillJob job, CancellationToken cancellationToken)
    {
        var sourceDatabase = BackfillDatabase.For(job.Source);
        var targetDatabase = BackfillDatabase.For(job.Target);
        var sourceConnection = await sourceDatabase.OpenAsync("source", cancellationToken);
        DbConnection? targetConnection = null;
        try
        {
            targetConnection = await targetDatabase.OpenAsync("target", cancellationToken);
            var schema = await SchemaCheck.RunAsync(job, sourceDatabase, sourceConnection, targetDatabase, targetConnection, cancellationToken);
            var copier = new BatchCopier(job, sourceDatabase, targetDatabase, schema);
            copier.Attach(sourceConnection, targetConnection);
            return copier;
        }
        catch
        {
            await sourceConnection.DisposeAsync();
            if (targetConnection is not null)
            {
                await targetConnection.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The source's rows now, for the progress display.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) => Source.Guard(s => s.CountAsync(cancellationToken));

    /// <summary>Reads the batch after <paramref name="lastKey"/> and upserts it in one target transaction; returns its rows.</summary>
    public async Task<IReadOnlyList<object?[]>> CopyAsync(IReadOnlyList<object?>? lastKey, CancellationToken cancellationToken)
    {
        var rows = await Source.Guard(s => s.ReadAsync(lastKey, _job.BatchSize, cancellationToken));
        if (rows.Count > 0)
        {
            await Target.Guard(async t =>
            {
                await t.WriteAsync(rows, cancellationToken);
                return rows.Count;
            });
        }

        return rows;
    }

    /// <summary>Closes both connections and opens them again, keeping the schema checked at the start.</summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync();
        var sourceConnection = await _sourceDatabase.OpenAsync("source", cancellationToken);
        try
        {
            Attach(sourceConnection, await _targetDatabase.OpenAsync("target", cancellationToken));
        }
        catch
        {
            await sourceConnection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
            _source = null;
        }

        if (_target is not null)
        {
            await _target.DisposeAsync();
            _target = null;
        }
    }

    private Side<IBatchSource> Source => _source ?? throw new InvalidOperationException("The source is not connected.");

    private Side<IBatchTarget> Target => _target ?? throw new InvalidOperationException("The target is not connected.");

    private void Attach(DbConnection sourceConnection, DbConnection targetConnection)
    {
        _source = new Side<IBatchSource>("source", _sourceDatabase, sourceConnection, new KeysetSource(sourceConnection, _job, _schema.SourceFrom));
        _target = new Side<IBatchTarget>(
            "target", _targetDatabase, targetConnection, new UpsertTarget(targetConnection, _targetDatabase, _job, _schema.Target, _schema.TargetColumns));
    }

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
