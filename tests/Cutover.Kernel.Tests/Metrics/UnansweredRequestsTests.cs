using Cutover.Kernel.Metrics;

namespace Cutover.Kernel.Tests.Metrics;

public sealed class UnansweredRequestsTests
{
    [Fact]
    public void Sweep_ClosedSecondsStillUnanswered_CountsTheirRequestsAndTheirAnswersThenSaySo()
    {
        var wheel = new UnansweredRequests();
        wheel.Sent(100);
        wheel.Sent(100);
        wheel.Sent(101);
        wheel.Sent(102);

        Assert.False(wheel.Answered(100));
        Assert.Equal(2, wheel.Sweep(101));

        Assert.True(wheel.Answered(100));
        Assert.True(wheel.Answered(101));
        Assert.False(wheel.Answered(102));
        Assert.Equal(0, wheel.Sweep(102));
    }

    [Fact]
    public void Sweep_ReachingASecondRepeatedly_ClosesItOnce()
    {
        var wheel = new UnansweredRequests();
        wheel.Sent(10);
        Assert.Equal(1, wheel.Sweep(10));
        Assert.Equal(0, wheel.Sweep(10));
        Assert.Equal(0, wheel.Sweep(9));
        wheel.Sent(11);
        Assert.Equal(1, wheel.Sweep(12));
    }

    [Fact]
    public void Answered_RequestOlderThanTheWheel_IsTakenAsCountedAndItsSlotServesANewSecond()
    {
        var wheel = new UnansweredRequests();
        wheel.Sent(5);
        Assert.Equal(1, wheel.Sweep(5));
        var later = 5 + (long)UnansweredRequests.Span.TotalSeconds;
        wheel.Sent(later);

        Assert.True(wheel.Answered(5));
        Assert.False(wheel.Answered(later));
    }

    [Fact]
    public async Task Sweep_ConcurrentAnswersAndSweeps_CountEveryRequestExactlyOnce()
    {
        var wheel = new UnansweredRequests();
        const int Seconds = 40;
        const int PerSecond = 5_000;
        for (var second = 0; second < Seconds; second++)
        {
            for (var i = 0; i < PerSecond; i++)
            {
                wheel.Sent(second);
            }
        }

        var answeredUncounted = 0L;
        var answeredCounted = 0L;
        var swept = 0L;
        var answering = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var second = 0; second < Seconds; second++)
            {
                for (var i = worker; i < PerSecond; i += 4)
                {
                    // Half of each second's requests are answered, the rest left to the sweeps.
                    if (i % 2 == 0)
                    {
                        Interlocked.Increment(ref wheel.Answered(second) ? ref answeredCounted : ref answeredUncounted);
                    }
                }
            }
        })).ToList();
        var sweeping = Task.Run(() =>
        {
            for (var through = 0; through < Seconds; through++)
            {
                Interlocked.Add(ref swept, wheel.Sweep(through));
                Thread.SpinWait(2_000);
            }
        });
        await Task.WhenAll([.. answering, sweeping]);

        // Each answered request was either counted by a sweep (and says so) or not; the sweeps counted the rest.
        Assert.Equal(Seconds * PerSecond / 2, answeredUncounted + answeredCounted);
        Assert.Equal(Seconds * PerSecond, swept + answeredUncounted);
    }
}
