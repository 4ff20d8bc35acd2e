using System.Data.Common;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.Schema;

/// <summary>
/// A job's source and target, open and checked against the job: what every command that reads or
/// writes a job's rows (run, resume, verify, catch-up) starts with. Disposing closes both connections.
/// </summary>
internal sealed record JobDatabases(BackfillDatabase Source, DbConnection SourceConnection, BackfillDatabase Target, DbConnection TargetConnection, CheckedSchema Schema)
    : IAsyncDisposable
{
    /// <summary>Opens both databases and runs the <see cref="SchemaCheck"/>, which throws <see cref="SchemaMismatchException"/> naming every mismatch.</summary>
    public static async Task<JobDatabases> OpenAsync(BackfillJob job, CancellationToken cancellationToken)
    {
        var source = BackfillDatabase.For(job.Source);
        var target = BackfillDatabase.For(job.Target);
        var (sourceConnection, targetConnection) = await ConnectAsync(source, target, cancellationToken);
        try
        {
            var schema = await SchemaCheck.RunAsync(job, source, sourceConnection, target, targetConnection, cancellationToken);
            return new JobDatabases(source, sourceConnection, target, targetConnection, schema);
        }
        catch
        {
            await sourceConnection.DisposeAsync();
            await targetConnection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Closes both connections and opens them again, keeping the schema checked when they were first
    /// opened: how a run gets back a connection the server or the network dropped.
    /// </summary>
    public async Task<JobDatabases> ReopenAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync();
        var (sourceConnection, targetConnection) = await ConnectAsync(Source, Target, cancellationToken);
        return this with { SourceConnection = sourceConnection, TargetConnection = targetConnection };
    }

    public async ValueTask DisposeAsync()
    {
        await SourceConnection.DisposeAsync();
        await TargetConnection.DisposeAsync();
    }

    private static async Task<(DbConnection Source, DbConnection Target)> ConnectAsync(BackfillDatabase source, BackfillDatabase target, CancellationToken cancellationToken)
    {
        var sourceConnection = await source.OpenAsync("source", cancellationToken);
        try
        {
            return (sourceConnection, await target.OpenAsync("target", cancellationToken));
        }
        catch
        {
            await sourceConnection.DisposeAsync();
            throw;
        }
    }
}
