using Cutover.Backfill.Jobs;
using Cutover.Backfill.PassThrough;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Targets;
using Npgsql;

namespace Cutover.Backfill.Copying;

/// <summary>
/// Chooses how a run reads and writes batches: PostgreSQL to PostgreSQL with matching column types,
/// the pass-through copy of binary COPY streams; PostgreSQL's binary COPY where it applies, the
/// SELECT reader and the row-by-row upsert elsewhere. Both paths read the same pages, convert the
/// same way and give the same checksums, so the choice changes speed, never the result.
/// </summary>
/// <remarks>
/// COPY applies to a PostgreSQL source whose mapped columns all have a binary reader in Npgsql
/// (enums, composites and extension types do not) and to every PostgreSQL target. SQLite sides
/// always use SELECT and the prepared upsert: SQLite has no COPY, and runs in process, so there
/// are no round trips to save.
/// </remarks>
internal static class BatchPaths
{
    /// <summary>
    /// The reader for the job's source, owning the source connection; with <paramref name="changedSince"/>
    /// (a catch-up pass) it reads only the rows changed since the mark.
    /// </summary>
    public static async Task<IBatchSource> SourceAsync(JobDatabases databases, BackfillJob job, ChangedSince? changedSince, CancellationToken cancellationToken)
    {
        var from = databases.Schema.SourceFrom;
        return databases.SourceConnection is NpgsqlConnection postgres && await CopySource.TryCreateAsync(postgres, job, from, changedSince, cancellationToken) is { } copy
            ? copy
            : new KeysetSource(databases.SourceConnection, job, from, changedSince);
    }

    /// <summary>
    /// The pass-through copy from <paramref name="source"/> into the job's target, when both are
    /// PostgreSQL and every mapped column has the same type on both sides (see <see cref="PassThroughCopy"/>); null otherwise.
    /// A split job's worker gives its range's last key as <paramref name="upTo"/>.
    /// </summary>
    public static async Task<PassThroughCopy?> PassThroughAsync(
        JobDatabases databases, BackfillJob job, IBatchSource source, KeyRange? range, CancellationToken cancellationToken) =>
        source is CopySource copy && databases.TargetConnection is NpgsqlConnection target
            ? await PassThroughCopy.TryCreateAsync(copy, target, job, databases.Schema.Target, databases.Schema.TargetColumns, range, cancellationToken)
            : null;

    /// <summary>The writer for the job's target, owning the target connection.</summary>
    public static IBatchTarget Target(JobDatabases databases, BackfillJob job)
    {
        var schema = databases.Schema;
        return databases.TargetConnection is NpgsqlConnection postgres
            ? new CopyTarget(postgres, databases.Target, job, schema.Target, schema.TargetColumns)
            : new UpsertTarget(databases.TargetConnection, databases.Target, job, schema.Target, schema.TargetColumns);
    }
}
