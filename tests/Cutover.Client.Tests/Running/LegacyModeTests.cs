using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Tests.Running;

public sealed class LegacyModeTests
{
    [Fact]
    public async Task RunAsync_UnknownMigration_RunsLegacyAloneAndCountsNothing()
    {
        using var sdk = ClientUnderTest.Start();
        var candidateCalls = 0;

        var result = await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), _ => Task.FromResult(++candidateCalls), "user-1");

        Assert.Equal((19, 0), (result, candidateCalls));
        Assert.Empty(sdk.Metrics.Names);
    }

    [Fact]
    public async Task RunAsync_LegacyMode_RunsLegacyAloneAndPassesItsFailureThrough()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Legacy);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => sdk.Client.RunAsync<int>(
            "billing-tax", _ => throw new InvalidOperationException("legacy is down"), _ => Task.FromResult(1)));

        Assert.Equal("legacy is down", thrown.Message);
        Assert.False(sdk.Client.IsCandidate("billing-tax", "user-1"));
    }

    [Fact]
    public void Run_LegacyMode_RunsLegacyAlone()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Legacy);

        var result = sdk.Client.Run("billing-tax", () => 19, () => throw new InvalidOperationException("not called"));

        Assert.Equal(19, result);
    }

    [Fact]
    public async Task RunAsync_LegacyMode_CountsLegacysCallsAndFailuresWithoutTimingThem()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Legacy);
        var slow = new TaskCompletionSource<int>();

        var pending = sdk.Client.RunAsync("billing-tax", _ => slow.Task, _ => Task.FromResult(0));
        var beforeItEnds = sdk.Counters.Legacy.Requests;
        slow.SetResult(19);
        await pending;
        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(20), _ => Task.FromResult(0));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sdk.Client.RunAsync<int>("billing-tax", _ => Task.FromException<int>(new InvalidOperationException("down")), _ => Task.FromResult(0)));

        Assert.Equal(0, beforeItEnds);
        Assert.Equal((3L, 1L, 0L), (sdk.Counters.Legacy.Requests, sdk.Counters.Legacy.Errors, sdk.Counters.Legacy.Latency.ReadCounts().Sum()));
        Assert.Equal(0, sdk.Counters.Candidate.Requests);
    }

    [Fact]
    public void Run_LegacyMode_CountsLegacysCallsAndFailures()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Legacy);

        sdk.Client.Run("billing-tax", () => 19, () => 0);
        Assert.Throws<InvalidOperationException>(() => sdk.Client.Run<int>("billing-tax", () => throw new InvalidOperationException("down"), () => 0));

        Assert.Equal((2L, 1L), (sdk.Counters.Legacy.Requests, sdk.Counters.Legacy.Errors));
    }
}
