using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Tests.Decisions;

/// <summary>The hot paths an application pays on every call allocate nothing (bench/client measures their time).</summary>
public sealed class AllocationTests
{
    private static readonly Task<int> Answer = Task.FromResult(42);
    private static readonly Func<CancellationToken, Task<int>> LegacyAsync = static _ => Answer;
    private static readonly Func<int> Legacy = static () => 42;

    [Fact]
    public void IsCandidate_Canary_AllocatesNothing()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Canary, 20);

        Assert.Equal(0, Allocated(() => sdk.Client.IsCandidate("billing-tax", "user-1234")));
    }

    [Fact]
    public void RunAndRunAsync_LegacyMode_AllocateNothingBeyondLegacy()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Legacy);

        Assert.Equal(0, Allocated(() => sdk.Client.RunAsync("billing-tax", LegacyAsync, LegacyAsync, "user-1234")));
        Assert.Equal(0, Allocated(() => sdk.Client.Run("billing-tax", Legacy, Legacy, "user-1234")));
    }

    private static long Allocated<T>(Func<T> call)
    {
        for (var i = 0; i < 1000; i++)
        {
            call();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            call();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
