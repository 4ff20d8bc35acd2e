namespace Cutover.Backfill.Jobs;

/// <summary>
/// What <c>cutover backfill verify --repair</c> does with a target row whose key the source no
/// longer has (<c>deletes</c>). Reporting is the default because such a row may have been written by
/// the new application rather than by the copy; a job whose target only the backfill writes can
/// have the deletions applied.
/// </summary>
public enum DeletePolicy
{
    /// <summary>Report the extra target rows and leave them. The default.</summary>
    Report,

    /// <summary>Delete the extra target rows when repairing, in one target transaction per chunk.</summary>
    Apply,
}
