using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Tests.Running;

public sealed class ShadowModeTests
{
    private static readonly RunOptions<int> AfterLegacy = new() { ShadowExecution = ShadowExecution.AfterLegacy };

    [Fact]
    public async Task RunAsync_EqualResults_ReturnsLegacysAndCountsThemEqual()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var candidateCalls = 0;

        var result = await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), _ =>
        {
            candidateCalls++;
            return Task.FromResult(19);
        }, "user-1", AfterLegacy);

        Assert.Equal((19, 1), (result, candidateCalls));
        Assert.Equal((1L, 1L, 1L, 0L), (sdk.Counters.Shadow.Mirrored, sdk.Counters.Shadow.Equal, sdk.Counters.Legacy.Requests, sdk.Counters.Candidate.Requests));
        Assert.Empty(sdk.Samples.Drain());
    }

    [Fact]
    public async Task RunAsync_DifferentResults_ReturnsLegacysAndKeepsASample()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);

        var result = await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), _ => Task.FromResult(21), "user-1", AfterLegacy);

        Assert.Equal(19, result);
        Assert.Equal((1L, 1.0), (sdk.Counters.Shadow.Divergent, sdk.Counters.Shadow.DivergenceRate));
        var sample = Assert.Single(sdk.Samples.Drain());
        Assert.Equal(("billing-tax", "user-1", "19", "21", 1), (sample.Migration, sample.StickyKey, sample.Legacy, sample.Candidate, sample.TotalDifferences));
    }

    [Fact]
    public async Task RunAsync_CandidateThrows_ReturnsLegacysAndCountsACandidateError()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);

        var result = await sdk.Client.RunAsync<int>("billing-tax", _ => Task.FromResult(19), _ => throw new InvalidOperationException("rates table missing"), options: AfterLegacy);

        Assert.Equal(19, result);
        Assert.Equal((1L, 0L), (sdk.Counters.Shadow.CandidateErrors, sdk.Counters.Shadow.Compared));
        Assert.Equal("billing-tax: the candidate threw InvalidOperationException: rates table missing", sdk.Counters.Shadow.LastCandidateError);
    }

    [Fact]
    public async Task RunAsync_CandidateHangs_GivesUpAtItsTimeoutAndCountsACandidateError()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var cancelled = false;
        var options = new RunOptions<int> { ShadowExecution = ShadowExecution.AfterLegacy, CandidateTimeout = TimeSpan.FromMilliseconds(50) };

        var result = await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), async ct =>
        {
            ct.Register(() => cancelled = true);
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return 19;
        }, options: options);

        Assert.Equal(19, result);
        Assert.True(cancelled);
        Assert.Equal("billing-tax: the candidate gave no answer within its timeout (50 ms)", sdk.Counters.Shadow.LastCandidateError);
    }

    [Fact]
    public async Task RunAsync_LegacyThrows_ThrowsLegacysExceptionAndCountsTheCallSkipped()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);

        await Assert.ThrowsAsync<TimeoutException>(() => sdk.Client.RunAsync<int>("billing-tax", _ => throw new TimeoutException("db"), _ => Task.FromResult(1), options: AfterLegacy));

        Assert.Equal((1L, 0L, 1L), (sdk.Counters.Shadow.Skipped, sdk.Counters.Shadow.Mirrored, sdk.Counters.Legacy.Errors));
    }

    [Fact]
    public async Task RunAsync_Concurrent_ReturnsLegacysWithoutWaitingForTheCandidate()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var candidateStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var result = await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), _ =>
        {
            candidateStarted.SetResult();
            return release.Task;
        });

        Assert.Equal(19, result);
        await candidateStarted.Task;
        Assert.Equal(0L, sdk.Counters.Shadow.Mirrored);
        release.SetResult(21);
        await sdk.EventuallyAsync(() => sdk.Counters.Shadow.Divergent == 1);
    }

    [Fact]
    public async Task RunAsync_RunIfFalse_RunsLegacyAloneAndCountsTheCallSkipped()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var options = new RunOptions<int> { RunIf = () => false };

        var result = await sdk.Client.RunAsync<int>("billing-tax", _ => Task.FromResult(19), _ => throw new InvalidOperationException("not called"), options: options);

        Assert.Equal(19, result);
        Assert.Equal((1L, 0L, 0L), (sdk.Counters.Shadow.Skipped, sdk.Counters.Shadow.Mirrored, sdk.Counters.Shadow.CandidateErrors));
    }

    [Fact]
    public async Task RunAsync_IgnoredMismatch_CountsEqualAndKeepsNoSample()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var options = new RunOptions<int> { ShadowExecution = ShadowExecution.AfterLegacy, Ignore = (legacy, candidate) => Math.Abs(legacy - candidate) <= 1 };

        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), _ => Task.FromResult(20), options: options);
        await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), _ => Task.FromResult(25), options: options);

        Assert.Equal((1L, 1L), (sdk.Counters.Shadow.Equal, sdk.Counters.Shadow.Divergent));
        Assert.Equal("25", Assert.Single(sdk.Samples.Drain()).Candidate);
    }

    [Fact]
    public async Task RunAsync_ComparerThrows_CountsACandidateErrorAndStillReturnsLegacys()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Shadow);
        var options = new RunOptions<int> { ShadowExecution = ShadowExecution.AfterLegacy, Ignore = (_, _) => throw new FormatException("bad") };

        var result = await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), _ => Task.FromResult(20), options: options);

        Assert.Equal(19, result);
        Assert.Equal("billing-tax: comparing the results threw FormatException: bad", sdk.Counters.Shadow.LastCandidateError);
    }

    [Fact]
    public void Run_Synchronous_ComparesAndReturnsLegacys()
    {
        using var sdk = ClientUnderTest.Start(o => o.Migrations["billing-tax"] = new MigrationOptions { ShadowExecution = ShadowExecution.AfterLegacy }).With(MigrationMode.Shadow);

        var result = sdk.Client.Run<int>("billing-tax", () => 19, () => throw new ArgumentException("boom"));

        Assert.Equal(19, result);
        Assert.Equal(1L, sdk.Counters.Shadow.CandidateErrors);
    }
}
