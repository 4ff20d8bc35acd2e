using System.Data.Common;
using System.Globalization;

namespace Cutover.Backfill.Throttling;

/// <summary>
/// Decides whether the target is healthy enough for the next batch, by the last batch's write
/// time and the job's health query (see <see cref="ThrottleSettings"/>), and how long to wait when
/// it is not: the job's backoff, doubled while the target stays unhealthy, up to
/// <see cref="ThrottleSettings.MaxWait"/>, and back to nothing at the first healthy check. Write
/// times are measured with the clock's timestamps (real time even under a test's manual clock);
/// waits are taken on the clock by the caller.
/// </summary>
public sealed class AdaptiveThrottle(ThrottleSettings? settings, TimeProvider time)
{
    private TimeSpan? _lastWrite;
    private DateTimeOffset _nextCheck = DateTimeOffset.MinValue;
    private TimeSpan _wait = TimeSpan.Zero;
    private DateTimeOffset _since;

    /// <summary>True from the first unhealthy check until a healthy measurement ends the backoff (a batch in between is its probe).</summary>
    public bool BackingOff => _wait > TimeSpan.Zero;

    /// <summary>A timestamp to pass to <see cref="Wrote"/> when the write ends.</summary>
    public long WriteStarting() => time.GetTimestamp();

    /// <summary>Records that the batch's target write, started at <paramref name="started"/>, ended now.</summary>
    public void Wrote(long started) => _lastWrite = time.GetElapsedTime(started);

    /// <summary>
    /// Why the target is unhealthy now, or null when it may take the next batch: the last write
    /// over the maximum, or the health query (run on <paramref name="target"/> when due, and at every
    /// check while backing off) over its maximum. A healthy measurement ends the backoff; with
    /// nothing measured since the last wait (write time is only known after a write), the next batch
    /// is the probe and the backoff is kept, so a target that stays slow is waited for longer.
    /// </summary>
    public async Task<string?> UnhealthyAsync(DbConnection target, CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            return null;
        }

        string? why = null;
        var measured = false;
        if (settings.MaxWriteLatency is { } max && _lastWrite is { } took)
        {
            measured = true;
            why = took > max ? $"a batch's write took {Throttles.Text(took)}, over {Throttles.Text(max)}" : null;
        }

        _lastWrite = null;
        if (why is null && settings.HealthQuery is { } query && (_wait > TimeSpan.Zero || time.GetUtcNow() >= _nextCheck))
        {
            measured = true;
            _nextCheck = time.GetUtcNow() + settings.CheckEvery;
            var value = await HealthQuery.ReadAsync(target, query, cancellationToken);
            if (value > settings.HealthMax)
            {
                why = string.Create(CultureInfo.InvariantCulture, $"the health query returned {value:0.###}, over {settings.HealthMax:0.###}");
            }
        }

        if (why is null && measured)
        {
            _wait = TimeSpan.Zero;
        }

        return why;
    }

    /// <summary>
    /// The backoff for an unhealthy target (<paramref name="why"/>): the next wait (the backoff, then
    /// twice the previous wait, up to the cap), and since when the run has been backing off.
    /// </summary>
    public ThrottleState BackOff(string why)
    {
        if (_wait == TimeSpan.Zero)
        {
            _since = time.GetUtcNow();
            _wait = settings?.Backoff ?? ThrottleSettings.DefaultBackoff;
        }
        else
        {
            _wait = _wait * 2 > ThrottleSettings.MaxWait ? ThrottleSettings.MaxWait : _wait * 2;
        }

        return ThrottleState.BackingOff(why, _wait, _since);
    }
}
