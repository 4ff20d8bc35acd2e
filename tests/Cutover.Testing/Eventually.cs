using Xunit;

namespace Cutover.Testing;

/// <summary>Waits, in real time, for a condition that a run on another thread makes true.</summary>
public static class Eventually
{
    /// <summary>
    /// The result of a run a test drives with a manual clock, or a failure after 30 seconds: a wait
    /// the test did not expect (and so never advances) fails the test instead of hanging the test host.
    /// </summary>
    public static async Task<T> DoneAsync<T>(Task<T> run)
    {
        try
        {
            return await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail("the run did not end within 30 seconds: it is waiting on the manual clock for something the test did not advance");
            throw;
        }
    }

    public static Task TrueAsync(Func<bool> condition) => TrueAsync(() => Task.FromResult(condition()));

    public static async Task TrueAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true within 20 seconds");
            await Task.Delay(5);
        }
    }
}
