using Cutover.Core.Configuration;
using Cutover.Core.Routing;
using Cutover.Core.State;
using Cutover.Kernel.Metrics;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Tests.Routing;

public class RoutingSnapshotTests
{
    [Theory]
    [InlineData("/orders", "/orders", true)]
    [InlineData("/orders", "/orders/7", true)]
    [InlineData("/orders", "/ORDERS/7", true)]
    [InlineData("/orders", "/ordersx", false)]
    [InlineData("/orders/", "/orders", true)]
    [InlineData("/", "/anything", true)]
    public void MatchesPath_SegmentBoundaries(string prefix, string path, bool matches) =>
        Assert.Equal(matches, new MatchModel(prefix, null, [], []).MatchesPath(path));

    [Fact]
    public void Snapshot_OrdersMostSpecificFirst()
    {
        var definition = ConfigLoader.Load("""
            migrations:
              - { name: all, match: { pathPrefix: / }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
              - { name: orders, match: { pathPrefix: /orders }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
              - { name: orders-host, match: { pathPrefix: /orders, host: shop.example.com }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
              - { name: archive, match: { pathPrefix: /orders/archive }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
            """, "c.yaml");
        var states = definition.Migrations.ToDictionary(
            m => m.Name, m => new MigrationState(m.Name, m.InitialMode, m.InitialWeight, 1, DateTimeOffset.UnixEpoch));

        var snapshot = SnapshotBuilder.Snapshot(definition, states, new MetricsRegistry(), 1);

        Assert.Equal(["archive", "orders-host", "orders", "all"], snapshot.Migrations.Select(m => m.Name));
    }

    [Theory]
    [InlineData(MigrationMode.Legacy, 50, Side.Legacy)]
    [InlineData(MigrationMode.Shadow, 100, Side.Legacy)]
    [InlineData(MigrationMode.Candidate, 0, Side.Candidate)]
    [InlineData(MigrationMode.Retired, 0, Side.Candidate)]
    [InlineData(MigrationMode.Canary, 0, Side.Legacy)]
    [InlineData(MigrationMode.Canary, 100, Side.Candidate)]
    public void Decide_ModeWins_OverTheBucket(MigrationMode mode, double weight, Side expected)
    {
        var model = TestModels.Model("m", mode, weight);

        Assert.All(Enumerable.Range(0, StickyBucket.Count), bucket => Assert.Equal(expected, model.Decide(bucket)));
    }

    [Fact]
    public void With_ReplacesOneMigration_AndKeepsCounters()
    {
        var counters = new MetricsRegistry();
        var definition = ConfigLoader.Load("""
            migrations:
              - { name: a, match: { pathPrefix: /a }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
              - { name: b, match: { pathPrefix: /b }, legacy: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2" }
            """, "c.yaml");
        var states = definition.Migrations.ToDictionary(m => m.Name, m => new MigrationState(m.Name, MigrationMode.Legacy, Weight.Zero, 1, DateTimeOffset.UnixEpoch));
        var before = SnapshotBuilder.Snapshot(definition, states, counters, 1);
        Named(before, "a").Counters.Legacy.Record(250, failed: false);

        var after = before.With(SnapshotBuilder.Model(definition.Migrations[0], states["a"] with { Mode = MigrationMode.Candidate }, counters));

        Assert.Equal(MigrationMode.Candidate, Named(after, "a").Mode);
        Assert.Same(Named(before, "b"), Named(after, "b"));
        Assert.Equal(1, Named(after, "a").Counters.Legacy.Requests);
        Assert.Equal(2, after.Generation);
    }

    private static MigrationModel Named(RoutingSnapshot snapshot, string name) => snapshot.Migrations.Single(m => m.Name == name);
}
