namespace Cutover.Backfill.Jobs;

/// <summary>The <c>onConflict</c> section as written.</summary>
internal sealed record OnConflictConfig(int Line)
{
    public JobField? KeepNewer { get; init; }
}
