namespace Cutover.Backfill.Throttling;

/// <summary>
/// When a run backs off to spare the target: a batch whose write took longer than
/// <see cref="MaxWriteLatency"/>, or a <see cref="HealthQuery"/> (run on the target every
/// <see cref="CheckEvery"/>) returning more than <see cref="HealthMax"/>, makes the run wait
/// <see cref="Backoff"/> before its next batch, twice as long each time it is still unhealthy, up to
/// <see cref="MaxWait"/>; the first healthy check ends the backoff. A job without a
/// <c>throttle</c> section never backs off.
/// </summary>
/// <param name="MaxWriteLatency">The longest a batch's target write may take; null when write time is not watched.</param>
/// <param name="HealthQuery">A SELECT returning one number (replication lag, active connections); null when none.</param>
/// <param name="HealthMax">The highest healthy value of <paramref name="HealthQuery"/>.</param>
/// <param name="CheckEvery">How often the health query runs while the target is healthy.</param>
/// <param name="Backoff">The first wait; doubled while the target stays unhealthy.</param>
public sealed record ThrottleSettings(TimeSpan? MaxWriteLatency, string? HealthQuery, double HealthMax, TimeSpan CheckEvery, TimeSpan Backoff)
{
    /// <summary>The health query's interval when the file says none.</summary>
    public static readonly TimeSpan DefaultCheckEvery = TimeSpan.FromSeconds(5);

    /// <summary>The first wait when the file says none.</summary>
    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The longest single wait: a third of the run's lease, so the run renews its hold on the job between waits.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
}
