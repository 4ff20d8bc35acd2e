namespace Cutover.Store;

/// <summary>Where a backfill job is; stored by its lower-case name.</summary>
public enum BackfillStatus
{
    /// <summary>A run is copying batches (or died without saying so; its lease tells).</summary>
    Running,

    /// <summary>A run was stopped (Ctrl+C) after its last checkpoint; <c>resume</c> continues.</summary>
    Stopped,

    /// <summary>A run failed; the checkpoint is at the last good batch and <c>resume</c> continues.</summary>
    Failed,

    /// <summary>Every source row was copied.</summary>
    Completed,

    /// <summary>
    /// A run is waiting between batches because <c>cutover backfill pause</c> asked it to; stored
    /// as text like the others, so it needs no schema change. <c>resume</c> lets it go on.
    /// </summary>
    Paused,
}
