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
/// <param name="Skipped">The rows left out under <c>onError: skip</c> (how many, and the first keys with reasons), encoded by the engine; null when none.</param>
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
    string? LastError,
    string? Skipped = null);
