using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Store;
using Npgsql;

namespace Cutover.Backfill.Sources;

/// <summary>
/// The keys one worker of a split job reads: after <see cref="After"/> up to and including
/// <see cref="UpTo"/> (either open when null). A range is read by narrowing the source's FROM to
/// <c>(SELECT * FROM source AS r WHERE (k1, k2) &gt; (…) AND (k1, k2) &lt;= (…))</c>, so both batch
/// readers (SELECT and binary COPY) page through it exactly as through a whole source, and a range
/// is done when a batch comes back short.
/// </summary>
/// <remarks>
/// The bounds are written into the SQL as literals, because COPY takes no parameters; the source
/// database writes them itself (<c>quote(@k)</c> on SQLite, <c>quote_literal(@k::text)</c> on
/// PostgreSQL) from the values bound as parameters, so no quoting is done here.
/// </remarks>
internal sealed record KeyRange(IReadOnlyList<object?>? After, IReadOnlyList<object?>? UpTo)
{
    /// <summary>The keys of a stored range.</summary>
    public static KeyRange Of(BackfillRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return new(range.After is null ? null : KeyCodec.Decode(range.After), range.UpTo is null ? null : KeyCodec.Decode(range.UpTo));
    }

    /// <summary><paramref name="databases"/> with the source's FROM narrowed to this range.</summary>
    public async Task<JobDatabases> NarrowAsync(JobDatabases databases, BackfillJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(job);
        var keys = string.Join(", ", job.Key.Select(k => "r." + BackfillDatabase.Quote(k)));
        var conditions = new List<string>();
        if (After is not null)
        {
            conditions.Add($"({keys}) > ({await LiteralsAsync(databases, After, cancellationToken)})");
        }

        if (UpTo is not null)
        {
            conditions.Add($"({keys}) <= ({await LiteralsAsync(databases, UpTo, cancellationToken)})");
        }

        var from = databases.Schema.SourceFrom ?? $"({job.SourceQuery})";
        return conditions.Count == 0
            ? databases
            : databases with { Schema = databases.Schema with { SourceFrom = $"(SELECT * FROM {from} AS r WHERE {string.Join(" AND ", conditions)})" } };
    }

    private static async Task<string> LiteralsAsync(JobDatabases databases, IReadOnlyList<object?> key, CancellationToken cancellationToken)
    {
        var postgres = databases.SourceConnection is NpgsqlConnection;
        await using var command = databases.SourceConnection.CreateCommand();
        command.CommandText = "SELECT " + string.Join(", ", key.Select((_, i) => postgres ? $"quote_literal(@k{i}::text)" : $"quote(@k{i})"));
        for (var i = 0; i < key.Count; i++)
        {
            KeysetQuery.Bind(command, $"k{i}", key[i]);
        }

        var row = (await RowReader.ReadAsync(command, 1, cancellationToken))[0];
        return string.Join(", ", row.Select(v => v as string ?? "NULL"));
    }
}
