using Cutover.Client.Tests.Infrastructure;
using Cutover.Kernel.Routing;

namespace Cutover.Client.Tests.Decisions;

public sealed class CanaryTests
{
    private static readonly string[] Users = Enumerable.Range(1, 400).Select(i => $"user-{i}").ToArray();

    [Fact]
    public void IsCandidate_Canary_PutsEachKeyOnTheSideTheProxysBucketsDo()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Canary, 25);

        var decisions = Users.Select(user => sdk.Client.IsCandidate("billing-tax", user)).ToList();

        Assert.Equal(Users.Select(user => StickyBucket.Compute("billing-tax", user) < 2500), decisions);
        Assert.InRange(decisions.Count(d => d), 60, 140);
    }

    [Fact]
    public void IsCandidate_RaisingTheWeight_MovesKeysOnlyFromLegacyToCandidate()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Canary, 10);
        var before = Users.Where(user => sdk.Client.IsCandidate("billing-tax", user)).ToHashSet();

        sdk.With(MigrationMode.Canary, 50);
        var after = Users.Where(user => sdk.Client.IsCandidate("billing-tax", user)).ToHashSet();

        Assert.Subset(after, before);
        Assert.True(after.Count > before.Count);
    }

    [Fact]
    public async Task RunAsync_Canary_RunsTheSideOfTheKeyAndCountsBoth()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Canary, 25);

        var served = new List<string>();
        foreach (var user in Users)
        {
            served.Add(await sdk.Client.RunAsync("billing-tax", _ => Task.FromResult("legacy"), _ => Task.FromResult("candidate"), user));
        }

        Assert.Equal(Users.Select(user => StickyBucket.Compute("billing-tax", user) < 2500 ? "candidate" : "legacy"), served);
        Assert.Equal(
            (served.LongCount(s => s == "candidate"), served.LongCount(s => s == "legacy")),
            (sdk.Counters.Candidate.Requests, sdk.Counters.Legacy.Requests));
    }

    [Fact]
    public void IsCandidate_NoStickyKey_DrawsASideAtRandomByTheWeight()
    {
        using var sdk = ClientUnderTest.Start().With(MigrationMode.Canary, 30);

        var candidates = Enumerable.Range(0, 10_000).Count(_ => sdk.Client.IsCandidate("billing-tax"));

        Assert.InRange(candidates, 2_600, 3_400);
    }

    [Theory]
    [InlineData(MigrationMode.Legacy, false)]
    [InlineData(MigrationMode.Shadow, false)]
    [InlineData(MigrationMode.Candidate, true)]
    [InlineData(MigrationMode.Retired, true)]
    public void IsCandidate_OtherModes_IsTheSameForEveryKey(MigrationMode mode, bool expected)
    {
        using var sdk = ClientUnderTest.Start().With(mode, 100);

        Assert.All(Users, user => Assert.Equal(expected, sdk.Client.IsCandidate("billing-tax", user)));
    }
}
