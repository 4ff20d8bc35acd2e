using Cutover.Testing;

namespace Cutover.Server.Tests.Infrastructure;

/// <summary>The manual clock other tests rely on: timers fire when, and only when, it is moved past them.</summary>
public sealed class ManualTimeTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public void GetUtcNow_NewClock_StartsAtATenSecondMarkAndMovesOnlyWhenTold()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), _time.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, _time.LocalTimeZone);

        _time.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(ManualTime.DefaultStart.AddSeconds(90), _time.GetUtcNow());
        Assert.Equal(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero), new ManualTime(new DateTimeOffset(2030, 5, 6, 9, 8, 9, TimeSpan.FromHours(2))).GetUtcNow());
    }

    [Fact]
    public void GetTimestamp_ClockAdvanced_StaysRealSoMeasuredLatenciesDoNotFollowTheClock()
    {
        var started = _time.GetTimestamp();

        _time.Advance(TimeSpan.FromHours(1));

        Assert.InRange(_time.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Delay_ClockAdvanced_CompletesOnlyWhenTheClockReachesIt()
    {
        var delay = Task.Delay(TimeSpan.FromSeconds(5), _time);

        _time.Advance(TimeSpan.FromMilliseconds(4_999));
        Assert.False(delay.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Delay_CancelledBeforeItIsDue_NeverFires()
    {
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(TimeSpan.FromSeconds(5), _time, cancel.Token);

        await cancel.CancelAsync();
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(delay.IsCanceled);
    }

    [Fact]
    public async Task PeriodicTimer_ClockAdvancedPeriodByPeriod_TicksOncePerPeriod()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10), _time);

        for (var i = 0; i < 3; i++)
        {
            var tick = timer.WaitForNextTickAsync();
            _time.Advance(TimeSpan.FromSeconds(9));
            Assert.False(tick.IsCompleted);

            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await tick.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public void CreateTimer_Periodic_FiresAtEachPeriodWithTheClockAtItsDueTime()
    {
        var fired = new List<DateTimeOffset>();
        using var timer = _time.CreateTimer(_ => fired.Add(_time.GetUtcNow()), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(35));

        Assert.Equal([10, 20, 30], fired.Select(t => (t - ManualTime.DefaultStart).TotalSeconds));
        Assert.Equal(ManualTime.DefaultStart.AddSeconds(35), _time.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_SeveralTimers_FireInDueTimeOrderWhateverOrderTheyWereCreatedIn()
    {
        var fired = new List<string>();
        using var late = _time.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var early = _time.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var tied = _time.CreateTimer(_ => fired.Add("tied"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["early", "late", "tied"], fired);
    }

    [Fact]
    public void Dispose_Timer_NeverFiresAfterwardsAndCannotBeChanged()
    {
        var fired = 0;
        var timer = _time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        timer.Dispose();
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, fired);
        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Change_ArmedTimer_ReschedulesLaterEarlierOrNever()
    {
        var fired = new List<double>();
        using var timer = _time.CreateTimer(_ => fired.Add((_time.GetUtcNow() - ManualTime.DefaultStart).TotalSeconds), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(TimeSpan.FromSeconds(8), Timeout.InfiniteTimeSpan));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(fired);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([7], fired);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([7], fired);
    }

    [Fact]
    public void CreateTimer_DueAtOnce_FiresOnTheThreadThatArmsIt()
    {
        var fired = 0;

        using var timer = _time.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(1, fired);
    }

    [Fact]
    public void Advance_TimerCreatedByACallbackAndDueWithinIt_FiresInTheSameAdvance()
    {
        var fired = new List<(string Name, double At)>();
        ITimer? second = null;
        double Now() => (_time.GetUtcNow() - ManualTime.DefaultStart).TotalSeconds;
        using var first = _time.CreateTimer(_ =>
        {
            fired.Add(("first", Now()));
            second = _time.CreateTimer(_ => fired.Add(("second", Now())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([("first", 1), ("second", 3)], fired);
        second?.Dispose();
    }

    [Fact]
    public async Task Advance_AwaitingLoopLikeTheMetricsRoller_RunsItOncePerIntervalWithinOneAdvance()
    {
        using var stop = new CancellationTokenSource();
        var rolls = new List<double>();
        async Task LoopAsync()
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _time, stop.Token);
                rolls.Add((_time.GetUtcNow() - ManualTime.DefaultStart).TotalSeconds);
            }
        }

        var loop = LoopAsync();
        Assert.Equal(1, _time.ArmedTimers);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal([10, 20, 30, 40, 50, 60], rolls);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        Assert.Equal(0, _time.ArmedTimers);
    }

    [Fact]
    public async Task Advance_FromSeveralThreads_AddsUpAndFiresEveryPeriod()
    {
        var fired = 0;
        using var timer = _time.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        })));

        Assert.Equal(ManualTime.DefaultStart.AddSeconds(400), _time.GetUtcNow());
        Assert.Equal(400, fired);
    }
}
