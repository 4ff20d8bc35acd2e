using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;
using Cutover.Kernel.Shadow;

namespace Cutover.Core.Tests.Shadow;

public sealed class EvidenceLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonComparison Differ(params string[] paths) =>
        new(paths.Select(p => new Difference(p, DifferenceKind.ValueChanged, "1", "2")).ToList(), paths.Length);

    private static readonly JsonComparison Equal = new([], 0);

    private static DivergenceSample Sample(string endpoint, string path, DateTimeOffset time) =>
        new(0, endpoint, path, time, new SampleRequest("GET", "/", new Dictionary<string, string>(), string.Empty, false),
            new SampleResponse(200, new Dictionary<string, string>(), "1", false, 1), new SampleResponse(200, new Dictionary<string, string>(), "2", false, 1), [], 1);

    [Fact]
    public void Record_CountsPerEndpointAndGeneralisedPath_OncePerPair()
    {
        var ledger = new EvidenceLedger("orders");
        ledger.Record("GET /orders/{id}", Equal, T0);
        var (endpoint, path, wants) = ledger.Record("GET /orders/{id}", Differ("$.items[0].price", "$.items[1].price", "$.total"), T0.AddSeconds(1));
        ledger.Record("GET /orders/{id}", Differ("$.items[4].price"), T0.AddSeconds(2));

        var batch = ledger.Drain();

        Assert.Equal(("GET /orders/{id}", "$.items[*].price", true), (endpoint, path, wants));
        var tally = Assert.Single(batch.Endpoints);
        Assert.Equal((3L, 2L, T0, T0.AddSeconds(2)), (tally.Compared, tally.Divergent, tally.FirstSeen, tally.LastSeen));
        Assert.Equal(2, tally.Paths.Single(p => p.Path == "$.items[*].price").Count);
        Assert.Equal(1, tally.Paths.Single(p => p.Path == "$.total").Count);
        Assert.True(ledger.Drain().IsEmpty);
    }

    [Fact]
    public void Record_CopiesComparedOutOfOrder_KeepTheEarliestAndLatestArrival()
    {
        // Copies are compared when their candidate answers: a slow one finishes after a later one.
        var ledger = new EvidenceLedger("orders");
        ledger.Record("GET /orders/{id}", Differ("$.total"), T0.AddSeconds(5));
        ledger.Record("GET /orders/{id}", Differ("$.total"), T0.AddSeconds(9));
        ledger.Record("GET /orders/{id}", Differ("$.total"), T0.AddSeconds(1));
        ledger.Record("GET /orders/{id}", Differ("$.total"), T0.AddSeconds(7));

        var tally = Assert.Single(ledger.Drain().Endpoints);

        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(9)), (tally.FirstSeen, tally.LastSeen));
        var total = Assert.Single(tally.Paths);
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(9)), (total.FirstSeen, total.LastSeen));
    }

    [Fact]
    public void Samples_AreWantedUntilAGroupHasEnough_ThenOncePerRefresh_AndTheNewestAreKept()
    {
        var ledger = new EvidenceLedger("orders");
        for (var i = 0; i < DivergenceLimits.SamplesPerPath; i++)
        {
            Assert.True(ledger.Record("GET /a", Differ("$.x"), T0).WantsSample);
            ledger.AddSample(Sample("GET /a", "$.x", T0.AddSeconds(i)));
        }

        Assert.False(ledger.Record("GET /a", Differ("$.x"), T0).WantsSample);
        Assert.True(ledger.Record("GET /a", Differ("$.y"), T0).WantsSample);
        Assert.False(ledger.Record("GET /a", Differ("$.x"), T0 + EvidenceLedger.SampleRefresh - TimeSpan.FromSeconds(1)).WantsSample);
        Assert.True(ledger.Record("GET /a", Differ("$.x"), T0 + EvidenceLedger.SampleRefresh).WantsSample);
        ledger.AddSample(Sample("GET /a", "$.x", T0.AddSeconds(10)));

        var samples = ledger.Drain().Samples;
        Assert.Equal(DivergenceLimits.SamplesPerPath, samples.Count);
        Assert.Equal(samples.OrderBy(s => s.Time), samples);
        Assert.Contains(samples, s => s.Time == T0.AddSeconds(10));
        Assert.DoesNotContain(samples, s => s.Time == T0);
    }

    [Fact]
    public void Merge_PutsAFailedBatchBack_MergedWithNewerEvidence()
    {
        var ledger = new EvidenceLedger("orders");
        ledger.Record("GET /a", Differ("$.x"), T0);
        ledger.AddNoise("GET /a", ["$.id"], T0);
        var failed = ledger.Drain();
        ledger.Record("GET /a", Differ("$.x"), T0.AddSeconds(5));

        ledger.Merge(failed);
        var batch = ledger.Drain();

        var tally = Assert.Single(batch.Endpoints);
        Assert.Equal((2L, 2L, T0, T0.AddSeconds(5)), (tally.Compared, tally.Divergent, tally.FirstSeen, tally.LastSeen));
        var path = Assert.Single(tally.Paths);
        Assert.Equal((2L, T0, T0.AddSeconds(5)), (path.Count, path.FirstSeen, path.LastSeen));
        Assert.Equal("$.id", Assert.Single(batch.Noise).Path);
    }

    [Fact]
    public void EndpointsAndPaths_AreCapped_IntoCatchAllGroups()
    {
        var ledger = new EvidenceLedger("orders");
        for (var i = 0; i < DivergenceLimits.EndpointsPerMigration + 20; i++)
        {
            ledger.Record($"GET /e{i}", Equal, T0);
        }

        var manyPaths = Differ([.. Enumerable.Range(0, DivergenceLimits.PathsPerEndpoint + 20).Select(i => $"$.f{i}")]);
        ledger.Record("GET /e0", manyPaths, T0);
        var batch = ledger.Drain();

        Assert.Equal(DivergenceLimits.EndpointsPerMigration + 1, batch.Endpoints.Count);
        Assert.Equal(20, batch.Endpoints.Single(e => e.Endpoint == DivergenceLimits.OtherEndpoint).Compared);
        var e0 = batch.Endpoints.Single(e => e.Endpoint == "GET /e0");
        Assert.Equal(DivergenceLimits.PathsPerEndpoint + 1, e0.Paths.Count);
        Assert.Equal(1, e0.Paths.Single(p => p.Path == DivergenceLimits.OtherPath).Count);
    }

    [Fact]
    public void Merge_ReportedEvidenceWithEverNewPaths_IsCappedLikeRecordedEvidence()
    {
        var ledger = new EvidenceLedger("billing-tax");
        var paths = Enumerable.Range(0, DivergenceLimits.PathsPerEndpoint + 20)
            .Select(i => new PathTally($"$.f{i}", DifferenceKind.ValueChanged, 1, T0, T0)).ToList();
        var samples = new[] { Sample("(in-process calls)", "$.f0", T0), Sample("(in-process calls)", $"$.f{DivergenceLimits.PathsPerEndpoint + 5}", T0) };

        ledger.Merge(new ShadowBatch("billing-tax", [new EndpointTally("(in-process calls)", 300, 220, T0, T0, paths)], samples, []));
        var batch = ledger.Drain();

        var tally = Assert.Single(batch.Endpoints);
        Assert.Equal(DivergenceLimits.PathsPerEndpoint + 1, tally.Paths.Count);
        Assert.Equal(20, tally.Paths.Single(p => p.Path == DivergenceLimits.OtherPath).Count);
        Assert.Equal(["$.f0", DivergenceLimits.OtherPath], batch.Samples.Select(s => s.Path).Order(StringComparer.Ordinal));
    }
}
