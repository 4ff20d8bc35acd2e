using Cutover.Kernel.Link;
using Cutover.Testing;

namespace Cutover.Kernel.Tests.Link;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public async Task WaitAsync_StreamKeepsDropping_WaitsFrom100MsDoublingUpTo5SecondsAndAfreshAfterReset()
    {
        var time = new ManualTime();
        var backoff = new ReconnectBackoff(time);

        foreach (var ms in new[] { 100, 200, 400, 800, 1600, 3200, 5000, 5000 })
        {
            await AssertWaitsAsync(time, backoff, TimeSpan.FromMilliseconds(ms));
        }

        backoff.Reset();
        await AssertWaitsAsync(time, backoff, ReconnectBackoff.First);
    }

    [Fact]
    public async Task WaitAsync_CancelledWhileWaiting_ReturnsFalseSoTheFollowerStops()
    {
        var backoff = new ReconnectBackoff(new ManualTime());
        using var stopping = new CancellationTokenSource();

        var wait = backoff.WaitAsync(stopping.Token);
        await stopping.CancelAsync();

        Assert.False(await wait);
    }

    /// <summary>The next wait is still going 1 ms before <paramref name="expected"/> of the manual clock, and over at it.</summary>
    private static async Task AssertWaitsAsync(ManualTime time, ReconnectBackoff backoff, TimeSpan expected)
    {
        var wait = backoff.WaitAsync(CancellationToken.None);

        time.Advance(expected - TimeSpan.FromMilliseconds(1));
        await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System));
        Assert.False(wait.IsCompleted, $"the wait ended before {expected.TotalMilliseconds} ms");
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System));
    }
}
