using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Tests.Running;

public sealed class CandidateModeTests
{
    [Fact]
    public async Task RunAsync_Candidate_RunsTheCandidateAloneAndCountsIt()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Candidate, 100);

        var result = await sdk.Client.RunAsync<int>("billing-tax", _ => throw new InvalidOperationException("not called"), _ => Task.FromResult(21));

        Assert.Equal(21, result);
        Assert.Equal((1L, 0L, 0L), (sdk.Counters.Candidate.Requests, sdk.Counters.Candidate.Errors, sdk.Counters.Legacy.Requests));
        Assert.Equal(0L, sdk.Counters.Candidate.InFlight);
    }

    [Fact]
    public async Task RunAsync_CandidateThrows_FallsBackToLegacyAndCountsTheCandidatesError()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Candidate, 100);

        var result = await sdk.Client.RunAsync<int>("billing-tax", _ => Task.FromResult(19), _ => throw new InvalidOperationException("rates table missing"));

        Assert.Equal(19, result);
        Assert.Equal((1L, 1L, 1L), (sdk.Counters.Candidate.Errors, sdk.Counters.Legacy.Requests, sdk.Counters.Legacy.Requests - sdk.Counters.Legacy.Errors));
    }

    [Fact]
    public async Task RunAsync_CandidateThrowsWithoutFallback_ThrowsTheCandidatesException()
    {
        using var sdk = ClientUnderTest.Start(o => o.Migrations["billing-tax"] = new MigrationOptions { FallbackToLegacy = false }).With(MigrationMode.Candidate, 100);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            sdk.Client.RunAsync<int>("billing-tax", _ => Task.FromResult(19), _ => throw new InvalidOperationException("rates table missing")));

        Assert.Equal("rates table missing", thrown.Message);
        Assert.Equal((1L, 0L), (sdk.Counters.Candidate.Errors, sdk.Counters.Legacy.Requests));
    }

    [Fact]
    public async Task RunAsync_CandidateHangs_FallsBackAtItsTimeout()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Candidate, 100);
        var options = new RunOptions<int> { CandidateTimeout = TimeSpan.FromMilliseconds(50) };

        var result = await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 21;
        }, options: options);

        Assert.Equal(19, result);
        Assert.Equal(1L, sdk.Counters.Candidate.Errors);
    }

    [Fact]
    public async Task RunAsync_CandidateHangsWithoutFallback_ThrowsATimeoutNamingTheOption()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Candidate, 100);
        var options = new RunOptions<int> { CandidateTimeout = TimeSpan.FromMilliseconds(50), FallbackToLegacy = false };

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(19), async _ =>
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return 21;
        }, options: options));

        Assert.Equal(
            "billing-tax: the candidate gave no answer within its timeout (50 ms); raise Cutover:Migrations:billing-tax:CandidateTimeout if it needs longer.",
            thrown.Message);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_NeitherFallsBackNorCountsAnError()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Candidate, 100);
        using var caller = new CancellationTokenSource();
        var legacyCalls = 0;

        var running = sdk.Client.RunAsync("billing-tax", _ => Task.FromResult(++legacyCalls), async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 21;
        }, cancellationToken: caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal((1L, 0L, 0), (sdk.Counters.Candidate.Requests, sdk.Counters.Candidate.Errors, legacyCalls));
    }

    [Fact]
    public async Task RunAsync_Retired_NeverFallsBack()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Retired, 100);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            sdk.Client.RunAsync<int>("billing-tax", _ => Task.FromResult(19), _ => throw new InvalidOperationException("rates table missing")));

        Assert.Equal(0L, sdk.Counters.Legacy.Requests);
        Assert.True(sdk.Client.IsCandidate("billing-tax"));
    }

    [Fact]
    public void Run_CandidateThrows_FallsBackToLegacy()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Candidate, 100);

        var result = sdk.Client.Run<int>("billing-tax", () => 19, () => throw new InvalidOperationException("rates table missing"));

        Assert.Equal(19, result);
        Assert.Equal(1L, sdk.Counters.Candidate.Errors);
    }
}
