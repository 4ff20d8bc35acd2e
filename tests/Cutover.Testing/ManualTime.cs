namespace Cutover.Testing;

/// <summary>
/// A clock for tests that moves only when told (<see cref="Advance"/>), so bake times, metrics
/// windows and "for 5m" durations can be tested in milliseconds and without flakiness. Ours,
/// because Microsoft.Extensions.TimeProvider.Testing is not served by the package source.
/// </summary>
/// <remarks>
/// <para>
/// Only the wall clock is manual: <see cref="GetUtcNow"/> and the timers from
/// <see cref="CreateTimer"/> (and so <c>Task.Delay(..., time)</c>, <c>PeriodicTimer(..., time)</c>
/// and <c>CancellationTokenSource(..., time)</c>). <see cref="TimeProvider.GetTimestamp"/> and
/// <see cref="TimeProvider.TimestampFrequency"/> are deliberately left as they are (the real
/// <see cref="System.Diagnostics.Stopwatch"/>): the proxy measures request latencies with them, and
/// those must stay real, or every latency in a test under a manual clock would read zero.
/// </para>
/// <para>
/// Timers fire only inside <see cref="Advance"/>, in due-time order, each with the clock set to its
/// due time, on the thread that advances. Callbacks run outside the clock's lock, so they may read
/// the clock, create, change or dispose timers (a timer they create that falls due within the same
/// advance fires in it), and continuations of <c>Task.Delay(..., time)</c> may run inline. A timer
/// due at once (due time zero, or in the past) fires on the thread that creates or changes it.
/// Safe to use from several threads.
/// </para>
/// </remarks>
public sealed class ManualTime : TimeProvider
{
    /// <summary>The default start: midnight UTC at the start of 2026, on a 10-second mark, so metrics buckets start with the test.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _armed = [];
    private DateTimeOffset _now;
    private DateTimeOffset _target;
    private long _armings;

    /// <summary>A clock at <see cref="DefaultStart"/>.</summary>
    public ManualTime()
        : this(DefaultStart)
    {
    }

    /// <summary>A clock at <paramref name="start"/>.</summary>
    public ManualTime(DateTimeOffset start)
    {
        _now = start.ToUniversalTime();
        _target = _now;
    }

    /// <summary>UTC, so local and UTC times read the same in every test.</summary>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>
    /// How many timers are waiting to fire: lets a test see that a background loop has reached its
    /// next delay before it moves the clock.
    /// </summary>
    public int ArmedTimers
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>A timer that fires when the clock is moved past its due time; periodic ones re-arm.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/>, firing every timer that falls due on the
    /// way, earliest first (created order among equals), with the clock at each timer's due time
    /// while it fires. Advances made at the same time from several threads add up.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            _target = (_target > _now ? _target : _now) + by;
            target = _target;
        }

        FireDue(target);
    }

    private void FireDue(DateTimeOffset until)
    {
        while (true)
        {
            ManualTimer? next = null;
            lock (_gate)
            {
                foreach (var timer in _armed)
                {
                    if (timer.DueAt <= until && (next is null || timer.DueAt < next.DueAt || (timer.DueAt == next.DueAt && timer.Arming < next.Arming)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    if (until > _now)
                    {
                        _now = until;
                    }

                    return;
                }

                if (next.DueAt > _now)
                {
                    _now = next.DueAt;
                }

                if (next.Period > TimeSpan.Zero)
                {
                    next.DueAt += next.Period;
                    next.Arming = ++_armings;
                }
                else
                {
                    _armed.Remove(next);
                }
            }

            next.Fire();
        }
    }

    /// <summary>Arms, re-arms or disarms a timer; false when it was disposed.</summary>
    private bool Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        }

        if (period != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        }

        DateTimeOffset now;
        lock (_gate)
        {
            if (timer.Disposed)
            {
                return false;
            }

            _armed.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            now = _now;
            timer.DueAt = now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            timer.Arming = ++_armings;
            _armed.Add(timer);
        }

        if (dueTime == TimeSpan.Zero)
        {
            FireDue(now);
        }

        return true;
    }

    private void Disarm(ManualTimer timer)
    {
        lock (_gate)
        {
            timer.Disposed = true;
            _armed.Remove(timer);
        }
    }

    /// <summary>One timer; its schedule is guarded by the clock's lock.</summary>
    private sealed class ManualTimer(ManualTime clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; set; }

        /// <summary>Orders timers due at the same moment: the one armed first fires first.</summary>
        public long Arming { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Schedule(this, dueTime, period);

        public void Fire() => callback(state);

        public void Dispose() => clock.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
