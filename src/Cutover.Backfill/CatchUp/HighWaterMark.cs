using System.Data.Common;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Databases;
using Cutover.Backfill.Jobs;

namespace Cutover.Backfill.CatchUp;

/// <summary>
/// The largest value of the job's change column, read when a pass starts: every row changed after
/// that read has a larger value (the column is a time or a version that only grows), so the next
/// catch-up pass copies exactly the rows with a larger one.
/// </summary>
internal static class HighWaterMark
{
    /// <summary>The source's largest change value, encoded like a key (so it is bound back with its type), or null when no row has one.</summary>
    public static async Task<string?> ReadAsync(DbConnection source, BackfillJob job, string? from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = source.CreateCommand();
        command.CommandText = $"SELECT MAX(src.{BackfillDatabase.Quote(job.ChangeColumn!)}) FROM {from ?? $"({job.SourceQuery})"} AS src";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : KeyCodec.Encode([value]);
    }

    /// <summary>The stored mark as the value to compare with, or null when none was recorded (every row with a change value is then newer).</summary>
    public static object? Decode(string? mark) => mark is null ? null : KeyCodec.Decode(mark)[0];
}
