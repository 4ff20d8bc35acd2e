using Cutover.Backfill.Throttling;
using Cutover.Store;

namespace Cutover.Backfill.Copying;

/// <summary>A job's progress as <c>run</c> and <c>status</c> show it.</summary>
/// <param name="Record">The job's record as last checkpointed.</param>
/// <param name="SourceRows">The rows the source has (counted now, or when the latest run started), or null when never counted.</param>
/// <param name="RowsPerSecond">Rows copied per second by the latest run.</param>
public sealed record BackfillProgress(BackfillRecord Record, long? SourceRows, double RowsPerSecond)
{
    /// <summary>
    /// What holds the run back now: <c>run</c> sets it as it goes; otherwise (<c>status</c>, the admin
    /// API) it is read from the record: its status when paused, the backoff it keeps, else none.
    /// </summary>
    public ThrottleState Throttle { get; init; } = Record.Status == BackfillStatus.Paused
        ? ThrottleState.Paused
        : ThrottleState.Parse(Record.Throttle) ?? ThrottleState.None;

    /// <summary>Rows per second over the run's last few batches, or null when not measured (then the run's average is used).</summary>
    public double? RecentRowsPerSecond { get; init; }

    /// <summary>
    /// Whether rows are being copied now: the job runs and is not paused. A paused job has no speed
    /// and no time left to show, only the rows it copied.
    /// </summary>
    public bool Copying => Record.Status == BackfillStatus.Running && Throttle.Kind != ThrottleKind.Paused;

    /// <summary>
    /// The time left: the rows the source has beyond those copied, at the recent speed (or the
    /// run's average); null when the source was not counted, nothing is being copied (also while paused), or there is no speed yet.
    /// </summary>
    public TimeSpan? TimeLeft =>
        SourceRows is { } total && Copying && (RecentRowsPerSecond ?? RowsPerSecond) is var speed && speed > 0
            ? TimeSpan.FromSeconds(Math.Max(0, total - Record.RowsCopied) / speed)
            : null;

    /// <summary>
    /// The progress of a record, its speed taken over its latest run up to <paramref name="now"/> (or
    /// up to its last write when it is not running); without <paramref name="sourceRows"/> counted
    /// now, the count the latest run made at its start (<see cref="BackfillRecord.SourceRows"/>).
    /// </summary>
    public static BackfillProgress Of(BackfillRecord record, long? sourceRows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var end = record.Status == BackfillStatus.Running ? now : record.UpdatedAt;
        var seconds = (end - record.RunStartedAt).TotalSeconds;
        var rows = record.RowsCopied - record.RunStartRows;
        return new BackfillProgress(record, sourceRows ?? record.SourceRows, seconds > 0 ? rows / seconds : 0);
    }
}
