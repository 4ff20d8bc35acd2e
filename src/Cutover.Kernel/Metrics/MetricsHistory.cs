namespace Cutover.Kernel.Metrics;

/// <summary>
/// The last hour and more of one migration's traffic in 10-second buckets, kept in memory so a
/// gate or trigger is judged without touching the store. <see cref="Roll"/> closes the bucket in
/// progress (the host calls it at every 10-second boundary); <see cref="Recent"/> returns the
/// closed buckets of a window plus the live part of the current one, so a failing candidate is
/// seen within a second, not at the next boundary.
/// </summary>
public sealed class MetricsHistory
{
    /// <summary>The length of a bucket.</summary>
    public static readonly TimeSpan BucketLength = TimeSpan.FromSeconds(10);

    /// <summary>Buckets kept: a little over an hour.</summary>
    public const int Capacity = 370;

    private readonly MigrationCounters _counters;
    private readonly LinkedList<MetricsBucket> _buckets = new();
    private readonly Lock _gate = new();
    private MetricsReading _last;
    private DateTimeOffset _lastRoll;

    /// <summary>Starts the history of a migration's counters at <paramref name="now"/>; what they counted before is left out.</summary>
    public MetricsHistory(MigrationCounters counters, DateTimeOffset now)
    {
        _counters = counters;
        _last = MetricsReading.Take(counters);
        _lastRoll = now;
    }

    /// <summary>The start of the bucket a moment falls in.</summary>
    public static DateTimeOffset BucketStartOf(DateTimeOffset moment)
    {
        var ticks = moment.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new DateTimeOffset(moment.UtcTicks - (ticks % BucketLength.Ticks), TimeSpan.Zero);
    }

    /// <summary>
    /// The start of the first bucket that begins at or after <paramref name="moment"/>: the moment
    /// itself on a boundary, else the next boundary. Every request is counted in a bucket that
    /// starts no later than the request was recorded (a roll labels what it closes with the start
    /// of the bucket the previous roll fell in), so the buckets from here on hold only requests
    /// recorded at or after the moment.
    /// </summary>
    public static DateTimeOffset FirstBucketFrom(DateTimeOffset moment)
    {
        var start = BucketStartOf(moment);
        return start == moment ? start : start + BucketLength;
    }

    /// <summary>
    /// Closes the bucket in progress: what was counted since the last roll, under the start of the
    /// bucket the last roll fell in. A second roll within one bucket adds to it. Returns the
    /// closed bucket (to persist), or null when nothing was counted.
    /// </summary>
    public MetricsBucket? Roll(DateTimeOffset now)
    {
        lock (_gate)
        {
            // Read under the lock, so a roll and a window never see readings out of order.
            var reading = MetricsReading.Take(_counters);
            var bucket = reading.Since(_last, BucketStartOf(_lastRoll));
            _last = reading;
            _lastRoll = now;
            if (bucket.IsEmpty)
            {
                return null;
            }

            if (_buckets.Last is { } last && last.Value.Start == bucket.Start)
            {
                bucket = MetricsBucket.Merge(bucket.Start, [last.Value, bucket]);
                _buckets.RemoveLast();
            }

            _buckets.AddLast(bucket);
            while (_buckets.Count > Capacity)
            {
                _buckets.RemoveFirst();
            }

            return bucket;
        }
    }

    /// <summary>
    /// The buckets that overlap the last <paramref name="length"/> before <paramref name="now"/>,
    /// oldest first, ending with the live part of the bucket in progress (not yet rolled) when it
    /// overlaps too. A negative length (a window that starts after now) overlaps no bucket that
    /// has begun.
    /// </summary>
    public IReadOnlyList<MetricsBucket> Recent(TimeSpan length, DateTimeOffset now)
    {
        var from = now - length;
        lock (_gate)
        {
            var reading = MetricsReading.Take(_counters);
            var recent = _buckets.Where(b => b.Start + BucketLength > from).ToList();
            var live = reading.Since(_last, BucketStartOf(_lastRoll));
            if (!live.IsEmpty && live.Start + BucketLength > from)
            {
                recent.Add(live);
            }

            return recent;
        }
    }
}
