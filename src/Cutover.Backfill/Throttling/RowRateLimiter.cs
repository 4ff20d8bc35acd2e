namespace Cutover.Backfill.Throttling;

/// <summary>
/// Keeps a run under a rows-per-second limit: after R rows, the next batch may start no earlier
/// than R / limit seconds after the run started. Measured from the run's start rather than per
/// batch, so a slow batch is not made up for by a burst beyond the limit, nor the limit undercut
/// by rounding each wait. Waits on the injected clock, so tests run in milliseconds.
/// </summary>
public sealed class RowRateLimiter
{
    private readonly double _rowsPerSecond;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;
    private long _rows;

    /// <summary>A limiter for <paramref name="rowsPerSecond"/> (0 is unlimited), starting now.</summary>
    public RowRateLimiter(double rowsPerSecond, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _rowsPerSecond = rowsPerSecond;
        _time = time;
        _start = time.GetUtcNow();
    }

    /// <summary>How long the next batch must wait for the limit; zero when it may start now.</summary>
    public TimeSpan Ahead()
    {
        if (_rowsPerSecond <= 0)
        {
            return TimeSpan.Zero;
        }

        var wait = _start + TimeSpan.FromSeconds(_rows / _rowsPerSecond) - _time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Waits until the rows copied so far are within the limit.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (Ahead() is { } wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Counts rows copied.</summary>
    public void Copied(int rows) => _rows += rows;
}
