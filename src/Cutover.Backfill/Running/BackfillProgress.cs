using Cutover.Store;

namespace Cutover.Backfill.Running;

/// <summary>A job's progress as <c>run</c> and <c>status</c> show it.</summary>
/// <param name="Record">The job's record as last checkpointed.</param>
/// <param name="SourceRows">The rows the source had when the run started, or null when not counted.</param>
/// <param name="RowsPerSecond">Rows copied per second by the latest run.</param>
public sealed record BackfillProgress(BackfillRecord Record, long? SourceRows, double RowsPerSecond)
{
    /// <summary>The progress of a record, its speed taken over its latest run up to <paramref name="now"/> (or up to its last write when it is not running).</summary>
    public static BackfillProgress Of(BackfillRecord record, long? sourceRows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var end = record.Status == BackfillStatus.Running ? now : record.UpdatedAt;
        var seconds = (end - record.RunStartedAt).TotalSeconds;
        var rows = record.RowsCopied - record.RunStartRows;
        return new BackfillProgress(record, sourceRows, seconds > 0 ? rows / seconds : 0);
    }
}
