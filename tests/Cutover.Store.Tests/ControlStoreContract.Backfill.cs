namespace Cutover.Store.Tests;

/// <summary>Backfill jobs' records and the key ranges of split jobs: claims, checkpoints and takeovers, on each engine.</summary>
public abstract partial class ControlStoreContract
{
    private static readonly TimeSpan ClaimTerm = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ClaimBackfillRangeAsync_ManyWorkersClaimingAtOnce_NeverHandOneRangeToTwo()
    {
        const int Ranges = 40;
        const int Workers = 8;
        var first = (IBackfillStore)await OpenAsync();
        await first.SplitBackfillAsync("orders", [.. Enumerable.Range(0, Ranges).Select(i => Range(i))]);
        var stores = new List<IBackfillStore> { first };
        for (var i = 1; i < Workers; i++)
        {
            stores.Add((IBackfillStore)await OpenAsync());
        }

        using var start = new Barrier(Workers);
        var claims = await Task.WhenAll(stores.Select((store, worker) => Task.Run(async () =>
        {
            start.SignalAndWait();
            var mine = new List<(int Index, string Holder)>();
            while (await store.ClaimBackfillRangeAsync("orders", $"worker-{worker}", ClaimTerm) is { } claimed)
            {
                mine.Add((claimed.Index, claimed.Holder!));
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Enumerable.Range(0, Ranges), all.Select(c => c.Index).Order());
        var stored = await first.GetBackfillRangesAsync("orders");
        Assert.All(stored, r => Assert.Equal((BackfillRangeStatus.Running, all.Single(c => c.Index == r.Index).Holder), (r.Status, r.Holder)));
    }

    [Fact]
    public async Task ClaimBackfillRangeAsync_ClaimExpired_IsTakenOverAndTheOldHolderCanNoLongerCheckpoint()
    {
        var store = (IBackfillStore)await OpenAsync();
        await store.SplitBackfillAsync("orders", [Range(0)]);

        var a = (await store.ClaimBackfillRangeAsync("orders", "a", ClaimTerm))!;
        Assert.Null(await store.ClaimBackfillRangeAsync("orders", "b", ClaimTerm));
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.SaveBackfillRangeAsync(a with { RowsCopied = 5, LastKey = "[[\"integer\",\"5\"]]" }, ClaimTerm));
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(await store.ClaimBackfillRangeAsync("orders", "b", ClaimTerm));
        Time.Advance(TimeSpan.FromSeconds(11));
        var b = await store.ClaimBackfillRangeAsync("orders", "b", ClaimTerm);

        Assert.Equal(("b", 5L, "[[\"integer\",\"5\"]]"), (b!.Holder, b.RowsCopied, b.LastKey));
        Assert.False(await store.SaveBackfillRangeAsync(a with { RowsCopied = 9 }, ClaimTerm));
        Assert.True(await store.SaveBackfillRangeAsync(b with { RowsCopied = 9, Status = BackfillRangeStatus.Done }, ClaimTerm));
        Assert.Equal((BackfillRangeStatus.Done, "b", 9L), (await store.GetBackfillRangesAsync("orders")) is [var done] ? (done.Status, done.Holder, done.RowsCopied) : default);
        Assert.Null(await store.ClaimBackfillRangeAsync("orders", "c", ClaimTerm));
    }

    [Fact]
    public async Task SaveBackfillRangeAsync_Pending_GivesTheRangeBackAtItsCheckpointForAnyWorker()
    {
        var store = (IBackfillStore)await OpenAsync();
        await store.SplitBackfillAsync("orders", [Range(0), Range(1)]);
        var a = (await store.ClaimBackfillRangeAsync("orders", "a", ClaimTerm))!;

        Assert.True(await store.SaveBackfillRangeAsync(a with { Status = BackfillRangeStatus.Pending, RowsCopied = 3, Skipped = "{}" }, ClaimTerm));
        var b = await store.ClaimBackfillRangeAsync("orders", "b", ClaimTerm);

        Assert.Equal((0, "b", 3L, "{}"), (b!.Index, b.Holder, b.RowsCopied, b.Skipped));
    }

    [Fact]
    public async Task GetBackfillAsync_SplitJob_ListsItsRangesAndSumsTheirRowsUntilTheSplitIsUndone()
    {
        var store = (IBackfillStore)await OpenAsync();
        var record = new BackfillRecord("orders", "name: orders", BackfillStatus.Running, null, 0, "0", StartInMilliseconds, StartInMilliseconds, 0, StartInMilliseconds, null);
        await store.SaveBackfillAsync(record);
        await store.SplitBackfillAsync("orders", [Range(0), Range(1), Range(2)]);
        foreach (var rows in new[] { 4L, 6L })
        {
            var claimed = (await store.ClaimBackfillRangeAsync("orders", "w", ClaimTerm))!;
            await store.SaveBackfillRangeAsync(claimed with { RowsCopied = rows }, ClaimTerm);
        }

        var split = (await store.GetBackfillAsync("orders"))!;
        Assert.Equal((10L, 3), (split.RowsCopied, split.Ranges.Count));
        Assert.Equal(10L, (await store.GetBackfillsAsync()).Single().RowsCopied);
        Assert.Equal([("[[\"integer\",\"0\"]]", "[[\"integer\",\"1\"]]")], split.Ranges.Skip(1).Take(1).Select(r => (r.After, r.UpTo)));

        await store.SplitBackfillAsync("orders", []);

        Assert.Equal(record, await store.GetBackfillAsync("orders"));
    }

    private BackfillRange Range(int index) => new(
        "orders",
        index,
        index == 0 ? null : $"[[\"integer\",\"{index - 1}\"]]",
        $"[[\"integer\",\"{index}\"]]",
        BackfillRangeStatus.Pending,
        null,
        null,
        0,
        "0",
        Time.GetUtcNow());

    [Fact]
    public async Task SaveBackfillAsync_KeepsTheThrottleStateUntilARecordWithoutIt()
    {
        var store = (IBackfillStore)await OpenAsync();
        var now = Time.GetUtcNow();
        var record = new BackfillRecord("events", "name: events", BackfillStatus.Running, null, 8, "0", now, now, 0, now, null) { Throttle = "{\"kind\":\"BackingOff\"}" };

        await store.SaveBackfillAsync(record);
        var backingOff = await store.GetBackfillAsync("events");
        await store.SaveBackfillAsync(record with { Throttle = null });
        var cleared = await store.GetBackfillAsync("events");

        Assert.Equal(record.Throttle, backingOff!.Throttle);
        Assert.Null(cleared!.Throttle);
    }

    [Fact]
    public async Task SaveBackfillVerifyAsync_KeepsTheResultThroughLaterCheckpoints_WithTheSourceRowsCounted()
    {
        var store = (IBackfillStore)await OpenAsync();
        var record = new BackfillRecord("events", "name: events", BackfillStatus.Completed, null, 8, "0", StartInMilliseconds, StartInMilliseconds, 0, StartInMilliseconds, null) { SourceRows = 8 };
        await store.SaveBackfillAsync(record);

        await store.SaveBackfillVerifyAsync("events", "{\"identical\":false}");
        await store.SaveBackfillAsync(record with { Status = BackfillStatus.Running, SourceRows = 12 });
        await store.SaveBackfillVerifyAsync("unknown", "{}");
        var read = await store.GetBackfillAsync("events");

        Assert.Equal(("{\"identical\":false}", 12L, BackfillStatus.Running), (read!.LastVerify, read.SourceRows, read.Status));
        Assert.Null(await store.GetBackfillAsync("unknown"));
        Assert.Equal("{\"identical\":false}", Assert.Single(await store.GetBackfillsAsync()).LastVerify);
    }

    [Fact]
    public async Task OpenAsync_JobsWrittenBeforeVerifyWasKept_AreUpgradedUnverifiedAndUncounted()
    {
        var store = (IBackfillStore)await OpenAsync();
        await store.SaveBackfillAsync(new BackfillRecord("events", "name: events", BackfillStatus.Completed, null, 8, "0", StartInMilliseconds, StartInMilliseconds, 0, StartInMilliseconds, null));
        await RewindSchemaAsync(12);

        var upgraded = (IBackfillStore)await OpenAsync();
        var read = await upgraded.GetBackfillAsync("events");

        Assert.Equal((8L, null, null), (read!.RowsCopied, read.SourceRows, read.LastVerify));
    }
}
