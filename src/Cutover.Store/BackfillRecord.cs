namespace Cutover.Store;

/// <summary>
/// A backfill job as the store keeps it: the definition it runs (so <c>resume NAME</c> needs no
/// file) and its checkpoint, which is written after each batch the target has committed.
/// </summary>
/// <param name="Name">The job's name.</param>
/// <param name="Definition">The job file's text, as it was when the job was started.</param>
/// <param name="Status">Where the job is.</param>
/// <param name="LastKey">The key of the last row copied, encoded by the engine; null before the first batch.</param>
/// <param name="RowsCopied">Rows copied so far, over every run.</param>
/// <param name="Checksum">The running checksum of the rows copied so far, encoded by the engine.</param>
/// <param name="StartedAt">When the job was first started (or restarted from the beginning).</param>
/// <param name="RunStartedAt">When the latest run (or resume) started.</param>
/// <param name="RunStartRows">The rows copied when the latest run started, so its speed can be told from the job's.</param>
/// <param name="UpdatedAt">When the record was last written.</param>
/// <param name="LastError">Why the job last failed, or null.</param>
public sealed record BackfillRecord(
    string Name,
    string Definition,
    BackfillStatus Status,
    string? LastKey,
    long RowsCopied,
    string Checksum,
    DateTimeOffset StartedAt,
    DateTimeOffset RunStartedAt,
    long RunStartRows,
    DateTimeOffset UpdatedAt,
    string? LastError)
{
    /// <summary>
    /// Where the snapshot of the target table taken before the job's first write is (a table in the
    /// target database), or null when none was taken; <c>cutover backfill restore</c> copies it back.
    /// </summary>
    public string? Backup { get; init; }

    /// <summary>
    /// The largest value of the job's change column when the latest full or catch-up pass started,
    /// encoded by the engine; the next catch-up pass copies the rows changed after it. Null when the
    /// job has no change column or no pass has started.
    /// </summary>
    public string? HighWater { get; init; }

    /// <summary>
    /// The rows left out under <c>onError: skip</c> (how many, and the first keys with reasons),
    /// encoded by the engine; null when none. Kept with the checkpoint so a resumed run, and
    /// <c>status</c>, still report the rows an earlier run skipped.
    /// </summary>
    public string? Skipped { get; init; }

    /// <summary>
    /// What holds the running job back now (a backoff from an unhealthy target: why, since when, the
    /// current wait), encoded by the engine; null when nothing does or no run is going. Written when
    /// it changes rather than at every wait, so <c>status</c> from another process can show it.
    /// </summary>
    public string? Throttle { get; init; }

    /// <summary>
    /// The rows the source had when the latest run or resume started (the run counts them once, to
    /// split or to show progress), so a reader of the store can tell the rows left and the time left
    /// without counting the source again; null before the first run. Rows the source gains during
    /// the run are not in it.
    /// </summary>
    public long? SourceRows { get; init; }

    /// <summary>
    /// The result of the latest <c>cutover backfill verify</c>, encoded by the engine (bounded in
    /// size), or null when the job was never verified. Kept apart from the checkpoint so a later run
    /// does not erase it: <see cref="IBackfillStore.SaveBackfillAsync"/> ignores it, and
    /// <see cref="IBackfillStore.SaveBackfillVerifyAsync"/> writes it.
    /// </summary>
    public string? LastVerify { get; init; }

    /// <summary>
    /// A split job's key ranges, in key order, filled when the record is read (empty for a job that
    /// is not split); <see cref="IBackfillStore.SaveBackfillAsync"/> ignores it, ranges are written
    /// by their workers. While a split job runs, <see cref="RowsCopied"/> as read is the sum of its ranges'.
    /// </summary>
    public IReadOnlyList<BackfillRange> Ranges { get; init; } = [];
}
