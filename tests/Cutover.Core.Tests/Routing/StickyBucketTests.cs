using Cutover.Core.Routing;
using Cutover.Kernel.Routing;
using FsCheck;
using FsCheck.Fluent;

namespace Cutover.Core.Tests.Routing;

public class StickyBucketTests
{
    private const int Keys = 100_000;

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(25)]
    [InlineData(50)]
    public void Compute_SequentialUserIds_SplitWithinHalfAPointOfTheWeight(double weight)
    {
        var threshold = Weight.FromPercent(weight).CandidateBuckets;
        var candidates = Enumerable.Range(0, Keys).Count(i => StickyBucket.Compute("orders", $"user-{i}") < threshold);

        var share = 100.0 * candidates / Keys;

        Assert.InRange(share, weight - 0.5, weight + 0.5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(25)]
    [InlineData(50)]
    public void Compute_RandomGuidKeys_SplitWithinHalfAPointOfTheWeight(double weight)
    {
        var random = new Random(7);
        var threshold = Weight.FromPercent(weight).CandidateBuckets;
        var candidates = Enumerable.Range(0, Keys).Count(_ => StickyBucket.Compute("checkout", RandomKey(random)) < threshold);

        Assert.InRange(100.0 * candidates / Keys, weight - 0.5, weight + 0.5);
    }

    [Fact]
    public void Compute_KnownKeys_GiveTheSameBucketsForever()
    {
        // These values pin the function: replicas, restarts and the SDK must agree on them.
        // A change here moves real users between sides mid-migration.
        Assert.Equal(PinnedBuckets, new[]
        {
            StickyBucket.Compute("orders", "user-1"),
            StickyBucket.Compute("orders", "user-2"),
            StickyBucket.Compute("billing", "user-1"),
            StickyBucket.Compute("orders", "Zoë"),
            StickyBucket.Compute("orders", string.Empty),
        });
    }

    [Fact]
    public void Compute_SameKeyInTwoMigrations_IsBucketedIndependently()
    {
        var same = Enumerable.Range(0, 1000).Count(i => StickyBucket.Compute("a", $"u{i}") == StickyBucket.Compute("b", $"u{i}"));

        Assert.True(same < 10, $"{same} of 1000 keys share a bucket in two migrations; the migration name must be part of the hash");
    }

    [Fact]
    public void Compute_AnyKey_StaysInRange()
    {
        Prop.ForAll<string>(key => StickyBucket.Compute("orders", key ?? string.Empty) is >= 0 and < StickyBucket.Count)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Compute_AnyKey_IsTheHashOfTheUtf8BytesOfMigrationSlashKey()
    {
        // The ASCII shortcut and the migration's seed must change nothing: the reference hashes the bytes plainly.
        Prop.ForAll<string>(key =>
        {
            key ??= string.Empty;
            var expected = Reference($"orders/{key}");
            return StickyBucket.Compute("orders", key) == expected && StickyBucket.Compute(StickyBucket.Seed("orders"), key) == expected;
        }).QuickCheckThrowOnFailure();
        Assert.Equal(Reference("tarifs/Ünïcode-ключ-𝄞"), StickyBucket.Compute(StickyBucket.Seed("tarifs"), "Ünïcode-ключ-𝄞"));
    }

    [Fact]
    public void RaisingTheWeight_NeverMovesAUserBackToLegacy()
    {
        Prop.ForAll<string, byte, byte>((key, a, b) =>
        {
            var low = Math.Min(a, b) % 101;
            var high = Math.Max(a, b) % 101;
            (low, high) = (Math.Min(low, high), Math.Max(low, high));
            var bucket = StickyBucket.Compute("orders", key ?? string.Empty);
            var model = (double weight) => Model(weight).Decide(bucket);

            return model(low) == Side.Legacy || model(high) == Side.Candidate;
        }).QuickCheckThrowOnFailure();
    }

    private static MigrationModel Model(double weight) => TestModels.Model("orders", MigrationMode.Canary, weight);

    private static int Reference(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return (int)(hash % StickyBucket.Count);
    }

    private static string RandomKey(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    // Checked against an independent implementation of the documented function (FNV-1a 64 + fmix64, mod 10000).
    private static readonly int[] PinnedBuckets = [9946, 5995, 6051, 3577, 7916];
}
