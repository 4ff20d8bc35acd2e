namespace Cutover.Backfill.Jobs;

/// <summary>The <c>catchUp</c> section as written.</summary>
internal sealed record CatchUpConfig(int Line)
{
    public JobField? MaxLagRows { get; init; }

    public JobField? MaxPasses { get; init; }

    public JobField? Margin { get; init; }
}
