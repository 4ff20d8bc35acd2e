using Cutover.Backfill.Transforms;

using Cutover.Backfill.Throttling;

namespace Cutover.Backfill.Jobs;

/// <summary>
/// A validated backfill job: where rows come from and go to, how each target column is computed,
/// and how fast. Built only by <see cref="BackfillJobFile"/>, so every job the engine sees has
/// passed the validator.
/// </summary>
public sealed record BackfillJob
{
    /// <summary>The job's name: the checkpoint's key in the store and the lease's name.</summary>
    public required string Name { get; init; }

    /// <summary>The job file's text, stored with the checkpoint so <c>resume NAME</c> needs no file.</summary>
    public required string Definition { get; init; }

    /// <summary>The database rows are read from.</summary>
    public required DatabaseLocation Source { get; init; }

    /// <summary>The source table, or null when <see cref="SourceQuery"/> is used.</summary>
    public string? SourceTable { get; init; }

    /// <summary>A SELECT whose result is copied as if it were a table, or null when <see cref="SourceTable"/> is used.</summary>
    public string? SourceQuery { get; init; }

    /// <summary>The source key columns, in order: batches are pages of the source ordered by them.</summary>
    public required IReadOnlyList<string> Key { get; init; }

    /// <summary>The database rows are written to.</summary>
    public required DatabaseLocation Target { get; init; }

    /// <summary>The target table.</summary>
    public required string TargetTable { get; init; }

    /// <summary>Each target column and where its value comes from, in file order.</summary>
    public required IReadOnlyList<ColumnMapping> Columns { get; init; }

    /// <summary>For each key column (same order), the index in <see cref="Columns"/> of the target column it is copied to.</summary>
    public required IReadOnlyList<int> KeyColumns { get; init; }

    /// <summary>Rows per batch (one read, one target transaction, one checkpoint). The default value is 5000.</summary>
    public int BatchSize { get; init; } = BackfillJobFile.DefaultBatchSize;

    /// <summary>Rows per second at most; 0, the default, is unlimited.</summary>
    public double RateLimit { get; init; }

    /// <summary>
    /// How many key ranges the job is split into, for workers in several processes or machines to
    /// copy side by side; 1, the default, copies the source in one key order by one worker.
    /// </summary>
    public int Ranges { get; init; } = 1;

    /// <summary>The column that tells when a source row changed (a time or an increasing version), which catch-up passes compare with the high-water mark; null when none.</summary>
    public string? ChangeColumn { get; init; }

    /// <summary>When <c>cutover backfill catchup</c> stops repeating passes.</summary>
    public CatchUpSettings CatchUp { get; init; } = CatchUpSettings.Default;

    /// <summary>What to do with a row that cannot be written. The default is <see cref="RowErrorPolicy.Stop"/>.</summary>
    public RowErrorPolicy OnError { get; init; }

    /// <summary>What <c>verify --repair</c> does with target rows the source no longer has. The default is <see cref="DeletePolicy.Report"/>.</summary>
    public DeletePolicy Deletes { get; init; }

    /// <summary>
    /// The target column (<c>onConflict.keepNewer</c>) that says which of two rows with one key is
    /// newer: a write replaces an existing target row only when its value there is greater (an
    /// existing null is older than any value), so a row the new application wrote after the
    /// source's copy is kept. Null, the default, overwrites: the target holds the source's rows.
    /// </summary>
    public string? KeepNewer { get; init; }

    /// <summary>The index in <see cref="Columns"/> of <see cref="KeepNewer"/>; null when the job overwrites.</summary>
    public int? KeepNewerColumn => KeepNewer is { } column ? Columns.ToList().FindIndex(c => c.Target == column) : null;

    /// <summary>How a lost source or target connection is retried. The default is <see cref="RetryPolicy.Default"/>.</summary>
    public RetryPolicy Retries { get; init; } = RetryPolicy.Default;

    /// <summary>When the run backs off to spare the target; null, the default, never backs off.</summary>
    public ThrottleSettings? Throttle { get; init; }

    /// <summary>
    /// The transform named by the job file's <c>transform</c> section, made when the file was read;
    /// null when it names none. Code that runs jobs itself can set one with <c>with</c>, or give
    /// <see cref="Running.BackfillRunner.Transform"/>, which <c>resume</c> keeps using.
    /// </summary>
    public IRowTransform? Transform { get; init; }

    /// <summary>"source table 'customers'" or "the source query", for messages.</summary>
    public string SourceLabel => SourceTable is null ? "the source query" : $"source table '{SourceTable}'";
}
