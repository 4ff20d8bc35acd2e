namespace Cutover.Backfill.Jobs;

/// <summary>The <c>source</c> or <c>target</c> section as written (a target has no query or key).</summary>
internal sealed record EndpointConfig(int Line)
{
    public JobField? Store { get; init; }

    public JobField? Table { get; init; }

    public JobField? Query { get; init; }

    public int KeyLine { get; init; }

    public List<JobField>? Key { get; init; }
}
