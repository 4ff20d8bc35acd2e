using System.Globalization;
using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Verifying;

namespace Cutover.Backfill.Running;

/// <summary>
/// A job as scripts and dashboards read it, the same from <c>cutover backfill status --json</c> and
/// the control plane's <c>GET /api/backfills</c>: the checkpoint with its keys decoded into their
/// values, so a reader needs nothing of the engine's encoding.
/// </summary>
/// <param name="Name">The job's name.</param>
/// <param name="Status">running, stopped, failed or completed.</param>
/// <param name="RowsCopied">Rows copied so far, over every run.</param>
/// <param name="RowsPerSecond">Rows per second of the latest run (up to now while it runs), to one decimal.</param>
/// <param name="SourceRows">The source's rows: counted by <c>status</c> for a running or paused job, else as the latest run counted them at its start; null before any run.</param>
/// <param name="TimeLeftSeconds">Seconds left at the recent speed, for a running (not paused) job; else null.</param>
/// <param name="Throttle">What holds the run back now: none, the rate limit, a backoff (and why) or a pause.</param>
/// <param name="Backoff">The backoff of a run waiting for an unhealthy target (why, since when, the current wait), or null.</param>
/// <param name="LastKey">The key of the last row copied, each value as text; null before the first batch.</param>
/// <param name="Checksum">The running checksum of the rows copied.</param>
/// <param name="StartedAt">When the job was first started (or restarted from the beginning).</param>
/// <param name="RunStartedAt">When the latest run, resume or catch-up started.</param>
/// <param name="UpdatedAt">When the checkpoint was last written.</param>
/// <param name="LastError">Why the job last failed (or the connection loss being retried), or null.</param>
/// <param name="Backup">The target-side snapshot <c>restore</c> puts back, or null.</param>
/// <param name="HighWater">The change column's mark the next catch-up pass starts from, as text, or null.</param>
/// <param name="Skipped">The rows <c>onError: skip</c> left out: how many, and the first keys with the reasons.</param>
public sealed record BackfillView(
    string Name,
    string Status,
    long RowsCopied,
    double RowsPerSecond,
    long? SourceRows,
    double? TimeLeftSeconds,
    string Throttle,
    BackfillBackoff? Backoff,
    string?[]? LastKey,
    string Checksum,
    DateTimeOffset StartedAt,
    DateTimeOffset RunStartedAt,
    DateTimeOffset UpdatedAt,
    string? LastError,
    string? Backup,
    string? HighWater,
    SkippedRows Skipped)
{
    /// <summary>The view of a job's progress.</summary>
    public static BackfillView Of(BackfillProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var record = progress.Record;
        return new BackfillView(
            record.Name,
            record.Status.ToString().ToLowerInvariant(),
            record.RowsCopied,
            Math.Round(progress.RowsPerSecond, 1),
            progress.SourceRows,
            progress.TimeLeft is { } left ? Math.Round(left.TotalSeconds) : null,
            progress.Throttle.ToString(),
            BackfillBackoff.Of(progress.Throttle),
            BackfillRangeView.Values(record.LastKey),
            record.Checksum,
            record.StartedAt,
            record.RunStartedAt,
            record.UpdatedAt,
            record.LastError,
            record.Backup,
            record.HighWater is null ? null : Convert.ToString(KeyCodec.Decode(record.HighWater)[0], CultureInfo.InvariantCulture),
            SkippedRows.Parse(record.Skipped))
        {
            Ranges = [.. record.Ranges.Select(BackfillRangeView.Of)],
            LastVerify = VerifyResult.Parse(record.LastVerify),
        };
    }

    /// <summary>A split job's key ranges (<c>ranges</c> in the job file), each with its state and holder; empty for a job that is not split.</summary>
    public IReadOnlyList<BackfillRangeView> Ranges { get; init; } = [];

    /// <summary>The latest <c>cutover backfill verify</c> of the job (when, clean or not, counts, the first differing keys), or null when never verified.</summary>
    public VerifyResult? LastVerify { get; init; }
}
