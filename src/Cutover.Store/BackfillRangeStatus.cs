namespace Cutover.Store;

/// <summary>Where a key range of a split backfill job is; stored by its lower-case name.</summary>
public enum BackfillRangeStatus
{
    /// <summary>No worker holds it: not started yet, or given back (stopped, failed, or its worker died here) at its checkpoint.</summary>
    Pending,

    /// <summary>A worker holds it and renews its claim after every batch; a claim left to expire is taken over.</summary>
    Running,

    /// <summary>Every row of the range was copied.</summary>
    Done,
}
