using System.Globalization;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Store;

namespace Cutover.Backfill.Ranges;

/// <summary>
/// Splits a job's source into <see cref="BackfillJob.Ranges"/> key ranges of about the same number
/// of rows, once, before any row is copied: each boundary is the key of the row a range's worth of
/// rows after the previous boundary, in key order
/// (<c>SELECT keys … WHERE (k1, k2) &gt; (@previous) ORDER BY k1, k2 LIMIT 1 OFFSET size - 1</c>),
/// so the whole source is stepped through once, on SQLite and PostgreSQL alike, whatever the key's
/// columns and types.
/// </summary>
/// <remarks>
/// The first range has no lower bound and the last no upper bound, so rows inserted before the
/// first key or after the last while the job runs are still copied. A source with fewer rows than
/// ranges gets fewer ranges.
/// </remarks>
internal static class KeySplit
{
    /// <summary>The ranges of <paramref name="job"/>'s source, which has <paramref name="rows"/> rows now, all pending.</summary>
    public static async Task<IReadOnlyList<BackfillRange>> SplitAsync(JobDatabases databases, BackfillJob job, long rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var size = Math.Max(1, (rows + job.Ranges - 1) / job.Ranges);
        var from = databases.Schema.SourceFrom ?? $"({job.SourceQuery})";
        var keys = string.Join(", ", job.Key.Select(k => "src." + BackfillDatabase.Quote(k)));
        var bounds = new List<object?[]>();
        while (bounds.Count < job.Ranges - 1)
        {
            await using var command = databases.SourceConnection.CreateCommand();
            var where = string.Empty;
            if (bounds.Count > 0)
            {
                where = $" WHERE ({keys}) > ({string.Join(", ", job.Key.Select((_, i) => $"@k{i}"))})";
                for (var i = 0; i < job.Key.Count; i++)
                {
                    KeysetQuery.Bind(command, $"k{i}", bounds[^1][i]);
                }
            }

            command.CommandText = $"SELECT {keys} FROM {from} AS src{where} ORDER BY {keys} LIMIT 1 OFFSET {(size - 1).ToString(CultureInfo.InvariantCulture)}";
            if (await RowReader.ReadAsync(command, 1, cancellationToken) is not [var bound])
            {
                break;
            }

            bounds.Add(bound);
        }

        var checksum = new RowChecksum().Value;
        return [.. Enumerable.Range(0, bounds.Count + 1).Select(i => new BackfillRange(
            job.Name,
            i,
            i == 0 ? null : KeyCodec.Encode(bounds[i - 1]),
            i == bounds.Count ? null : KeyCodec.Encode(bounds[i]),
            BackfillRangeStatus.Pending,
            null,
            null,
            0,
            checksum,
            now))];
    }
}
