using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Core.Configuration;

namespace Cutover.Backfill.Backups;

/// <summary>
/// The snapshot of a job's target table taken before its first write, and putting it back. The
/// snapshot is a table beside the target in the same database, <c>TABLE__cutover_backup_JOB</c>,
/// made by one <c>CREATE TABLE … AS SELECT *</c> on both engines: it is atomic, copies every value
/// as stored, and restoring it is one transaction in the database the job writes to, touching
/// no other table (a SQLite file backup would bring back every table of the file).
/// </summary>
internal static class TableBackup
{
    /// <summary>PostgreSQL cuts longer identifiers silently, which could make two jobs share a snapshot.</summary>
    private const int MaxNameLength = 63;

    /// <summary>The snapshot table's name for <paramref name="job"/>, in the target table's schema when it names one.</summary>
    public static string NameFor(BackfillJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = $"{job.TargetTable}__cutover_backup_{job.Name.Replace('-', '_')}";
        var table = name[(name.LastIndexOf('.') + 1)..];
        return table.Length <= MaxNameLength ? name : throw new BackfillRefusedException(
            $"Backfill job '{job.Name}' cannot back up table '{job.TargetTable}': the backup's name '{table}' is longer than {MaxNameLength} characters, which PostgreSQL would cut. Give the job a shorter name.");
    }

    /// <summary>Copies the target table into a new snapshot table in one transaction; refuses when a table of that name exists, which may be an earlier snapshot.</summary>
    public static async Task TakeAsync(BackfillDatabase database, DbConnection connection, BackfillJob job, string backup, CancellationToken cancellationToken)
    {
        if (await database.DescribeAsync(connection, backup, cancellationToken) is not null)
        {
            throw new BackfillRefusedException(
                $"Backfill job '{job.Name}' would back up table '{job.TargetTable}' into '{backup}' in {database.Location} before its first write, but that table exists: " +
                "it may be the snapshot of an earlier job of this name, or of a run that stopped right after taking it (before writing any row). " +
                $"Keep it by renaming it, or drop it if '{job.TargetTable}' has not changed since (DROP TABLE {backup}), then run again.");
        }

        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"CREATE TABLE {backup} AS SELECT * FROM {job.TargetTable}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw new BackfillFailedException(
                $"Backfill job '{job.Name}' could not back up table '{job.TargetTable}' into '{backup}' in {database.Location} before its first write: {e.Message.TrimEnd('.')}. " +
                "Nothing was written; let the target's user create tables there, then run again.",
                e);
        }
    }

    /// <summary>
    /// Replaces every row of <paramref name="table"/> with the snapshot's, in one transaction, and
    /// returns how many rows it holds now. The snapshot is kept, so a restore can be repeated.
    /// </summary>
    public static async Task<long> RestoreAsync(BackfillDatabase database, DbConnection connection, string table, string backup, CancellationToken cancellationToken)
    {
        var copy = await database.DescribeAsync(connection, backup, cancellationToken)
            ?? throw new BackfillRefusedException($"The backup table '{backup}' does not exist in {database.Location} any more (was it dropped?); there is nothing to restore from.");
        var target = await database.DescribeAsync(connection, table, cancellationToken)
            ?? throw new BackfillRefusedException($"The target table '{table}' does not exist in {database.Location}; create it with the columns of '{backup}' and restore again.");
        var columns = string.Join(", ", target.Columns.Where(c => copy.Find(c.Name) is not null).Select(c => BackfillDatabase.Quote(c.Name)));
        var overriding = database.Location.Kind == StoreKind.Postgres ? " OVERRIDING SYSTEM VALUE" : string.Empty;

        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"DELETE FROM {target.SqlName}", cancellationToken);
            var rows = await ExecuteAsync(connection, transaction, $"INSERT INTO {target.SqlName} ({columns}){overriding} SELECT {columns} FROM {backup}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows;
        }
        catch (DbException e)
        {
            throw new BackfillFailedException(
                $"Restoring table '{table}' from '{backup}' in {database.Location} failed, and changed nothing (it is one transaction): {e.Message.TrimEnd('.')}. " +
                "Fix the cause (rows of other tables referencing the target's, a generated column) and restore again.",
                e);
        }
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
