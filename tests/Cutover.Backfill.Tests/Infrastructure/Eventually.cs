namespace Cutover.Backfill.Tests.Infrastructure;

/// <summary>Waits, in real time, for a condition that a run on another thread makes true.</summary>
internal static class Eventually
{
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
