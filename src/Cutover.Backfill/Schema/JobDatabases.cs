using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Schema;

/// <summary>
/// A job's source and target, open and checked against the job: what every command that reads or
/// writes a job's rows (run, resume, verify) starts with. Disposing closes both connections.
/// </summary>
internal sealed record JobDatabases(BackfillDatabase Source, DbConnection SourceConnection, BackfillDatabase Target, DbConnection TargetConnection, CheckedSchema Schema)
    : IAsyncDisposable
{
    /// <summary>Opens both databases and runs the <see cref="SchemaCheck"/>, which throws <see cref="SchemaMismatchException"/> naming every mismatch.</summary>
    public static async Task<JobDatabases> OpenAsync(BackfillJob job, CancellationToken cancellationToken)
    {
        var source = BackfillDatabase.For(job.Source);
        var target = BackfillDatabase.For(job.Target);
        var sourceConnection = await source.OpenAsync("source", cancellationToken);
        DbConnection? targetConnection = null;
        try
        {
            targetConnection = await target.OpenAsync("target", cancellationToken);
            var schema = await SchemaCheck.RunAsync(job, source, sourceConnection, target, targetConnection, cancellationToken);
            return new JobDatabases(source, sourceConnection, target, targetConnection, schema);
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

    public async ValueTask DisposeAsync()
    {
        await SourceConnection.DisposeAsync();
        await TargetConnection.DisposeAsync();
    }
}
