namespace Cutover.Backfill.Copying;

/// <summary>
/// Rows per second over a run's last few checkpoints, for the time left: a run's average reacts
/// slowly to a change of speed (a throttle backing off, a table's wide rows), the recent rate at once.
/// </summary>
internal sealed class RecentRate(TimeProvider time)
{
    private const int Window = 10;

    private readonly Queue<(DateTimeOffset At, long Rows)> _checkpoints = new();

    /// <summary>Records a checkpoint at <paramref name="rowsCopied"/> rows.</summary>
    public void Copied(long rowsCopied)
    {
        _checkpoints.Enqueue((time.GetUtcNow(), rowsCopied));
        if (_checkpoints.Count > Window)
        {
            _checkpoints.Dequeue();
        }
    }

    /// <summary>Rows per second between the oldest and newest checkpoint kept; null until two are apart in time.</summary>
    public double? RowsPerSecond
    {
        get
        {
            if (_checkpoints.Count < 2)
            {
                return null;
            }

            var (firstAt, firstRows) = _checkpoints.Peek();
            var (lastAt, lastRows) = _checkpoints.Last();
            var seconds = (lastAt - firstAt).TotalSeconds;
            return seconds > 0 ? (lastRows - firstRows) / seconds : null;
        }
    }
}
