namespace Cutover.Backfill.Jobs;

/// <summary>The <c>retries</c> section as written.</summary>
internal sealed record RetriesConfig(int Line)
{
    public JobField? Attempts { get; init; }

    public JobField? Backoff { get; init; }
}
