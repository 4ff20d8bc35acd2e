using Cutover.Core.Shadow;
using Cutover.Kernel.Comparison;

namespace Cutover.Store.Tests;

/// <summary>Shadow evidence: counts added up across batches and stores, samples kept and trimmed, noise, and the report, on each engine.</summary>
public abstract partial class ControlStoreContract
{
    private static ShadowBatch Batch(string migration, IReadOnlyList<EndpointTally>? endpoints = null, IReadOnlyList<DivergenceSample>? samples = null, IReadOnlyList<NoiseEntry>? noise = null) =>
        new(migration, endpoints ?? [], samples ?? [], noise ?? []);

    private static EndpointTally Tally(string endpoint, long compared, long divergent, int first, int last, params PathTally[] paths) =>
        new(endpoint, compared, divergent, At(first), At(last), paths);

    private static DivergenceSample Sample(string endpoint, string path, int minutes) =>
        new(
            0,
            endpoint,
            path,
            At(minutes),
            new SampleRequest("GET", "/orders/1", new Dictionary<string, string>(), string.Empty, false),
            new SampleResponse(200, new Dictionary<string, string>(), "{\"total\":1}", false, 3),
            new SampleResponse(200, new Dictionary<string, string>(), "{\"total\":2}", false, 4),
            [new Difference(path, DifferenceKind.ValueChanged, "1", "2")],
            1);

    /// <summary>The samples the report lists for one endpoint of a migration, newest first.</summary>
    private static async Task<IReadOnlyList<SampleReference>> SamplesOfAsync(IControlStore store, string migration, string endpoint) =>
        (await store.GetDivergencesAsync(migration)).Endpoints.Single(e => e.Endpoint == endpoint).Samples;

    [Fact]
    public async Task RecordShadowAsync_TwoBatches_AddsCountsKeepsFirstSeenAndMovesLastSeen()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders/{id}", 10, 4, 0, 1, new PathTally("$.total", DifferenceKind.ValueChanged, 4, At(0), At(1)))]));

        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders/{id}", 5, 2, 2, 3, new PathTally("$.total", DifferenceKind.TypeChanged, 2, At(2), At(3)))]));

        var report = await store.GetDivergencesAsync("orders");
        Assert.Equal("orders", report.Migration);
        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal(("GET /orders/{id}", 15L, 6L, Stored(0), Stored(3)), (endpoint.Endpoint, endpoint.Compared, endpoint.Divergent, endpoint.FirstSeen, endpoint.LastSeen));
        Assert.Equal([new PathTally("$.total", DifferenceKind.TypeChanged, 6, Stored(0), Stored(3))], endpoint.Paths);
    }

    [Fact]
    public async Task RecordShadowAsync_TwoStoresOnOneDatabase_AddUpKeepingTheEarliestAndLatestTimes()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await first.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 10, 3, 5, 6, new PathTally("$.total", DifferenceKind.ValueChanged, 3, At(5), At(6)))]));

        // The second replica flushes later, but what it saw is older: it must not move times back or change the latest kind.
        await second.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 7, 2, 1, 2, new PathTally("$.total", DifferenceKind.Missing, 2, At(1), At(2)))]));

        foreach (var store in new[] { first, second })
        {
            var endpoint = Assert.Single((await store.GetDivergencesAsync("orders")).Endpoints);
            Assert.Equal((17L, 5L, Stored(1), Stored(6)), (endpoint.Compared, endpoint.Divergent, endpoint.FirstSeen, endpoint.LastSeen));
            Assert.Equal([new PathTally("$.total", DifferenceKind.ValueChanged, 5, Stored(1), Stored(6))], endpoint.Paths);
        }
    }

    [Fact]
    public async Task RecordShadowAsync_TwentyBatchesAtOnceFromTwoStores_CountsEveryComparison()
    {
        var proxy = await OpenAsync();
        var other = await OpenAsync();
        string[] endpoints = ["GET /a", "GET /b", "GET /c"];

        await AllAtOnceAsync(20, async i =>
        {
            // Replicas list endpoints in whatever order their dictionaries give; writers must not deadlock on it.
            var order = i % 2 == 0 ? endpoints : Enumerable.Reverse(endpoints);
            var tallies = order.Select(e => Tally(e, 3, 1, i, i, new PathTally("$.id", DifferenceKind.ValueChanged, 1, At(i), At(i)))).ToList();
            await (i % 2 == 0 ? proxy : other).RecordShadowAsync(Batch("orders", tallies));
            return i;
        });

        var report = await proxy.GetDivergencesAsync("orders");
        Assert.Equal(endpoints, report.Endpoints.Select(e => e.Endpoint));
        Assert.All(report.Endpoints, e => Assert.Equal((60L, 20L, Stored(0), Stored(19)), (e.Compared, e.Divergent, e.FirstSeen, e.LastSeen)));
        Assert.All(report.Endpoints, e => Assert.Equal(20, Assert.Single(e.Paths).Count));
    }

    [Fact]
    public async Task RecordShadowAsync_MoreSamplesThanKeptForAPath_KeepsTheNewestOfThatPathOnly()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch(
            "orders",
            [Tally("GET /orders", 4, 4, 0, 3), Tally("GET /users", 1, 1, 3, 3)],
            [Sample("GET /orders", "$.total", 0), Sample("GET /orders", "$.total", 1), Sample("GET /orders", "$.id", 2), Sample("GET /users", "$.total", 3)]));
        var oldest = (await SamplesOfAsync(store, "orders", "GET /orders")).Where(s => s.Path == "$.total").Select(s => s.Id).ToList();

        await store.RecordShadowAsync(Batch(
            "orders",
            samples: [Sample("GET /orders", "$.total", 4), Sample("GET /orders", "$.total", 5), Sample("GET /orders", "$.total", 6)]));

        var orders = await SamplesOfAsync(store, "orders", "GET /orders");
        Assert.Equal(
            [("$.total", Stored(6)), ("$.total", Stored(5)), ("$.total", Stored(4)), ("$.id", Stored(2))],
            orders.Select(s => (s.Path, s.Time)));
        Assert.Equal(orders.Select(s => s.Id).OrderDescending(), orders.Select(s => s.Id));
        Assert.Equal([("$.total", Stored(3))], (await SamplesOfAsync(store, "orders", "GET /users")).Select(s => (s.Path, s.Time)));
        Assert.Equal(2, oldest.Count);
        foreach (var id in oldest)
        {
            Assert.Null(await store.GetSampleAsync("orders", id));
        }
    }

    [Fact]
    public async Task GetSampleAsync_StoredSample_ReturnsItAsWrittenWithItsId()
    {
        var store = await OpenAsync();
        var written = new DivergenceSample(
            0,
            "POST /orders",
            "$.items[*].price",
            At(7),
            new SampleRequest(
                "POST",
                "/orders?dry=1&b=%20",
                new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=utf-8", ["Authorization"] = "[redacted]" },
                "{\"sku\":\"ä-1 ✓\",\"note\":\"<b>&'\\n\"}\nsecond line\ttab",
                BodyTruncated: true),
            new SampleResponse(201, new Dictionary<string, string> { ["ETag"] = "\"v1\"", ["Content-Type"] = "application/json" }, "{\"price\":10}", false, 12.345678),
            new SampleResponse(500, new Dictionary<string, string>(), "binary body: 2048 bytes, SHA-256 0f1e", true, 0.25),
            [
                new Difference("$.items[*].price", DifferenceKind.ValueChanged, "10", "10.5"),
                new Difference("$.items[*].sku", DifferenceKind.TypeChanged, "\"a\"", "1"),
                new Difference("$.id", DifferenceKind.Missing, "\"o-1\"", null),
                new Difference("$.extra", DifferenceKind.Added, null, "true"),
            ],
            57);
        await store.RecordShadowAsync(Batch("orders", [Tally("POST /orders", 1, 1, 7, 7)], [written]));
        var reference = Assert.Single(await SamplesOfAsync(store, "orders", "POST /orders"));

        var read = await store.GetSampleAsync("orders", reference.Id);

        Assert.NotNull(read);
        Assert.NotEqual(0, read.Id);
        Assert.Equal((reference.Id, reference.Path, reference.Time), (read.Id, read.Path, read.Time));
        Assert.Equal(Stored(7), read.Time);
        Assert.Equal(written.Request!.Headers, read.Request!.Headers);
        Assert.Equal(written.Legacy.Headers, read.Legacy.Headers);
        Assert.Equal(written.Candidate.Headers, read.Candidate.Headers);
        Assert.Equal(written.Differences, read.Differences);
        // Records compare dictionaries and lists by reference: with those checked above, compare the rest whole.
        Assert.Equal(written.Request with { Headers = read.Request.Headers }, read.Request);
        Assert.Equal(written.Legacy with { Headers = read.Legacy.Headers }, read.Legacy);
        Assert.Equal(written.Candidate with { Headers = read.Candidate.Headers }, read.Candidate);
        Assert.Equal(
            written with { Id = read.Id, Time = Stored(7), Request = read.Request, Legacy = read.Legacy, Candidate = read.Candidate, Differences = read.Differences },
            read);
    }

    [Fact]
    public async Task GetSampleAsync_CodeLevelSample_ReturnsItsCallAndNoRequestStatusOrLatency()
    {
        var store = await OpenAsync();
        var written = new DivergenceSample(
            0, "(in-process calls)", "$.rate", At(3), null,
            new SampleResponse(null, new Dictionary<string, string>(), "{\"rate\":19}", false, null),
            new SampleResponse(null, new Dictionary<string, string>(), "{\"rate\":21}", true, null),
            [new Difference("$.rate", DifferenceKind.ValueChanged, "19", "21")],
            1,
            new SampleCall("billing", "user-7"));
        await store.RecordShadowAsync(Batch("billing-tax", [Tally("(in-process calls)", 2, 1, 3, 3)], [written]));
        var reference = Assert.Single(await SamplesOfAsync(store, "billing-tax", "(in-process calls)"));

        var read = (await store.GetSampleAsync("billing-tax", reference.Id))!;

        Assert.Null(read.Request);
        Assert.Equal(new SampleCall("billing", "user-7"), read.Call);
        Assert.Equal((null, null, "{\"rate\":19}"), (read.Legacy.Status, read.Legacy.LatencyMs, read.Legacy.Body));
        Assert.True(read.Candidate.BodyTruncated);
        Assert.Equal(written.Differences, read.Differences);
    }

    [Fact]
    public async Task GetSampleAsync_IdOfAnotherMigrationOrUnknown_ReturnsNull()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("users", [Tally("GET /users", 1, 1, 0, 0)], [Sample("GET /users", "$.name", 0)]));
        var id = Assert.Single(await SamplesOfAsync(store, "users", "GET /users")).Id;

        Assert.NotNull(await store.GetSampleAsync("users", id));
        Assert.Null(await store.GetSampleAsync("orders", id));
        Assert.Null(await store.GetSampleAsync("users", id + 1000));
    }

    [Fact]
    public async Task RecordShadowAsync_NoiseLearnedTwice_StoresItOnceWithTheFirstTime()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 1, 0, 0, 0)], noise: [new NoiseEntry("GET /orders", "header:ETag", At(1))]));

        await store.RecordShadowAsync(Batch(
            "orders",
            noise: [new NoiseEntry("GET /users", "$.at", At(7)), new NoiseEntry("GET /orders", "header:ETag", At(5)), new NoiseEntry("GET /orders", "$.requestId", At(6))]));
        await store.RecordShadowAsync(Batch("users", noise: [new NoiseEntry("GET /orders", "$.other", At(8))]));

        NoiseEntry[] expected =
        [
            new("GET /orders", "$.requestId", Stored(6)),
            new("GET /orders", "header:ETag", Stored(1)),
            new("GET /users", "$.at", Stored(7)),
        ];
        Assert.Equal(expected, await store.GetNoiseAsync("orders"));
        Assert.Equal(expected[..2], Assert.Single((await store.GetDivergencesAsync("orders")).Endpoints).Noise);
    }

    [Fact]
    public async Task GetDivergencesAsync_SeveralEndpointsAndPaths_ListsMostDivergentAndMostFrequentFirst()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch(
            "orders",
            [
                Tally("GET /b", 9, 5, 0, 0),
                Tally("GET /d", 9, 0, 0, 0),
                Tally(
                    "GET /c",
                    9,
                    9,
                    0,
                    0,
                    new PathTally("$.z", DifferenceKind.Added, 2, At(0), At(0)),
                    new PathTally("$.y", DifferenceKind.Missing, 7, At(0), At(0)),
                    new PathTally("$.x", DifferenceKind.ValueChanged, 2, At(0), At(0))),
                Tally("GET /a", 9, 5, 0, 0),
            ]));

        var report = await store.GetDivergencesAsync("orders");

        Assert.Equal(["GET /c", "GET /a", "GET /b", "GET /d"], report.Endpoints.Select(e => e.Endpoint));
        Assert.Equal(["$.y", "$.x", "$.z"], report.Endpoints[0].Paths.Select(p => p.Path));
    }

    [Fact]
    public async Task GetDivergencesAsync_UnknownMigration_ReturnsAnEmptyReport()
    {
        var store = await OpenAsync();
        await store.RecordShadowAsync(Batch("orders", [Tally("GET /orders", 1, 1, 0, 0)], [Sample("GET /orders", "$.id", 0)], [new NoiseEntry("GET /orders", "$.at", At(0))]));

        var report = await store.GetDivergencesAsync("ghost");

        Assert.Equal("ghost", report.Migration);
        Assert.Empty(report.Endpoints);
        Assert.Empty(await store.GetNoiseAsync("ghost"));
    }
}
