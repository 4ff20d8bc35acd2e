namespace Cutover.Backfill.Jobs;

/// <summary>The <c>throttle</c> section as written.</summary>
internal sealed record ThrottleConfig(int Line)
{
    public JobField? MaxWriteLatency { get; init; }

    public JobField? HealthQuery { get; init; }

    public JobField? HealthMax { get; init; }

    public JobField? CheckEvery { get; init; }

    public JobField? Backoff { get; init; }
}
