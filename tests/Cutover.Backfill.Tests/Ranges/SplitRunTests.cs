using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Verifying;
using Cutover.Store;
using Cutover.Store.Opening;
using Cutover.Testing;

namespace Cutover.Backfill.Tests.Ranges;

/// <summary>
/// A job split into key ranges (<c>ranges: N</c>) and copied by several workers ends exactly as a
/// straight run: the same target rows, rows copied, checksum and last key; stopped mid-way it
/// resumes from each range's checkpoint; verify, catch-up and restore work on it after.
/// </summary>
public sealed class SplitRunTests
{
    public static TheoryData<string, string, string> Engines => new()
    {
        { "sqlite", "sqlite", "sqlite" },
        { "postgres", "sqlite", "postgres" },
        { "sqlite", "postgres", "postgres" },
        { "postgres", "postgres", "sqlite" },
    };

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task RunAsync_SplitJobWithSeveralWorkers_EndsIdenticalToAStraightRun(string source, string target, string storeEngine)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        await using var store = await SplitStore.CreateAsync(storeEngine, scenario);

        var record = await new BackfillRunner(store.Store, TimeProvider.System) { Workers = 3 }.RunAsync(scenario.Job(batchSize: 2, more: "ranges: 4"), restart: false);

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal((CustomersScenario.Rows, CustomersScenario.ExpectedChecksum(), "(3, 98)"), (record.RowsCopied, record.Checksum, KeyCodec.Display(record.LastKey)));
        Assert.Equal(4, record.Ranges.Count);
        Assert.All(record.Ranges, r => Assert.Equal(BackfillRangeStatus.Done, r.Status));
        Assert.Equal([7, 7, 7, 4], record.Ranges.Select(r => r.RowsCopied));
        Assert.Null(record.Ranges[0].After);
        Assert.Null(record.Ranges[^1].UpTo);
        for (var i = 1; i < record.Ranges.Count; i++)
        {
            Assert.Equal(record.Ranges[i - 1].UpTo, record.Ranges[i].After);
        }

        var stored = (await store.Store.GetBackfillAsync("customers"))!;
        Assert.Equal((record.RowsCopied, record.Checksum, record.LastKey, record.Status), (stored.RowsCopied, stored.Checksum, stored.LastKey, stored.Status));
    }

    [Fact]
    public async Task ResumeAsync_SplitJobStoppedMidWay_ContinuesEachRangeFromItsCheckpoint()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        using var stop = new CancellationTokenSource();
        var runner = new BackfillRunner(scenario.Store, TimeProvider.System)
        {
            Workers = 2,
            Progress = p =>
            {
                if (p.Record.RowsCopied >= 8)
                {
                    stop.Cancel();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(scenario.Job(batchSize: 2, more: "ranges: 3"), restart: false, stop.Token));
        var stopped = (await scenario.Store.GetBackfillAsync("customers"))!;
        Assert.Equal(BackfillStatus.Stopped, stopped.Status);
        Assert.InRange(stopped.RowsCopied, 8, CustomersScenario.Rows - 1);
        Assert.DoesNotContain(stopped.Ranges, r => r.Status == BackfillRangeStatus.Running);
        var highWater = stopped.HighWater;

        var record = await new BackfillRunner(scenario.Store, TimeProvider.System).ResumeAsync("customers");

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal((CustomersScenario.Rows, CustomersScenario.ExpectedChecksum(), BackfillStatus.Completed), (record.RowsCopied, record.Checksum, record.Status));
        Assert.Equal(highWater, record.HighWater);
        Assert.Equal(stopped.Ranges.Select(r => (r.After, r.UpTo)), record.Ranges.Select(r => (r.After, r.UpTo)));
    }

    [Fact]
    public async Task SplitJob_AfterCompletion_VerifiesCatchesUpAndRestoresLikeAnyJob()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Target.ExecuteAsync("INSERT INTO clients VALUES (9, 9, 'Before Backfill', NULL, 1)");
        var runner = new BackfillRunner(scenario.Store, TimeProvider.System) { Workers = 2 };
        var done = await runner.RunAsync(scenario.Job(batchSize: 3, more: "ranges: 5"), restart: false);
        Assert.Equal("1", done.HighWater is null ? null : KeyCodec.Display(done.HighWater).Trim('(', ')'));

        var report = await new BackfillVerifier(scenario.Store, TimeProvider.System).VerifyAsync("customers", repair: false, chunkSize: 10, listLimit: 10);
        Assert.Equal(CustomersScenario.Rows, report.SourceRows);
        Assert.Equal(1, report.Extra);
        await scenario.Source.ExecuteAsync("UPDATE customers SET first_name = 'Changed', updated_at = 2 WHERE tenant = 2 AND id = 99");
        var caughtUp = await runner.CatchUpAsync("customers");
        Assert.Equal([1], caughtUp.PassRows);
        Assert.Contains("2|99|Changed Last1|c1@example.com|0", await scenario.TargetRowsAsync());

        var restored = await runner.RestoreAsync("customers");

        Assert.Equal(["9|9|Before Backfill|null|1"], await scenario.TargetRowsAsync());
        Assert.Empty((await scenario.Store.GetBackfillAsync("customers"))!.Ranges);
        Assert.Equal(0, restored.Record.RowsCopied);
        var again = await runner.ResumeAsync("customers");
        Assert.Equal((CustomersScenario.Rows, BackfillStatus.Completed, 5), (again.RowsCopied, again.Status, again.Ranges.Count));
        Assert.Equal(CustomersScenario.Rows + 1, (await scenario.TargetRowsAsync()).Count);
    }

    [Fact]
    public async Task PauseAsync_SplitJob_HoldsEveryWorkerBetweenBatchesUntilUnpaused()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var run = new BackfillRunner(scenario.Store, TimeProvider.System) { Workers = 2 }.RunAsync(scenario.Job(batchSize: 2, rateLimit: 20, more: "ranges: 4"), restart: false);
        await Eventually.TrueAsync(async () => (await scenario.Store.GetBackfillAsync("customers"))!.RowsCopied >= 4);

        await scenario.Runner().PauseAsync("customers");
        await Eventually.TrueAsync(async () => (await scenario.Store.GetBackfillAsync("customers"))!.Status == BackfillStatus.Paused);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var paused = (await scenario.Store.GetBackfillAsync("customers"))!.RowsCopied;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(paused, (await scenario.Store.GetBackfillAsync("customers"))!.RowsCopied);
        Assert.InRange(paused, 4, CustomersScenario.Rows - 1);

        Assert.True(await scenario.Runner().UnpauseAsync("customers"));
        var record = await Eventually.DoneAsync(run);

        Assert.Equal((BackfillStatus.Completed, CustomersScenario.ExpectedChecksum()), (record.Status, record.Checksum));
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task RunAsync_SplitJobWithOnErrorSkip_AddsUpEachRangesSkippedRows()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var job = await BackfillJobFile.LoadAsync(scenario.WriteJobFile(batchSize: 2, more: scenario.TransformYaml(onError: "skip") + "\nranges: 4"));

        var record = await new BackfillRunner(scenario.Store, TimeProvider.System) { Workers = 2 }.RunAsync(job, restart: false);
        var straight = await new BackfillRunner(scenario.Store, TimeProvider.System).RunAsync(job with { Name = "straight", Ranges = 1 }, restart: false);

        Assert.Equal((straight.RowsCopied, straight.Checksum, straight.LastKey), (record.RowsCopied, record.Checksum, record.LastKey));
        Assert.Equal(SkippedRows.Parse(straight.Skipped).Rows.Select(r => r.Key), SkippedRows.Parse(record.Skipped).Rows.Select(r => r.Key));
        Assert.Equal(1, SkippedRows.Parse(record.Skipped).Total);
    }

    [Fact]
    public async Task RunAsync_SplitJobMeetingARejectedRow_FailsNamingTheRangeAndGivesEveryRangeBack()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var job = await BackfillJobFile.LoadAsync(scenario.WriteJobFile(batchSize: 2, more: scenario.TransformYaml() + "\nranges: 4"));

        var failure = await Assert.ThrowsAsync<BackfillFailedException>(() => new BackfillRunner(scenario.Store, TimeProvider.System) { Workers = 2 }.RunAsync(job, restart: false));

        Assert.Matches(@"^Backfill job 'customers' failed in key range \d of 4 after \d+ of its rows \(checkpoint at key \(\d, \d+\)\): The row with key \(2, 90\) was rejected by the transform: client 90 is a test account", failure.Message);
        Assert.EndsWith("Fix the cause and run `cutover backfill resume customers`; the batch that failed is copied again.", failure.Message, StringComparison.Ordinal);
        var failed = (await scenario.Store.GetBackfillAsync("customers"))!;
        Assert.Equal(BackfillStatus.Failed, failed.Status);
        Assert.StartsWith("Backfill job 'customers' failed in key range", failed.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(failed.Ranges, r => r.Status == BackfillRangeStatus.Running);
    }

    [Fact]
    public async Task Workers_OnAJobThatIsNotSplit_IsRefusedNamingTheRangesSetting()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var refused = await Assert.ThrowsAsync<BackfillRefusedException>(
            () => new BackfillRunner(scenario.Store, TimeProvider.System) { Workers = 2 }.RunAsync(scenario.Job(), restart: false));

        Assert.Contains("is not split into key ranges, so 2 workers cannot share it. Add e.g. 'ranges: 8'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task JoinAsync_UnknownUnsplitOrCompletedJob_IsRefusedWithTheWayOn()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var runner = new BackfillRunner(scenario.Store, TimeProvider.System);

        var unknown = await Assert.ThrowsAsync<BackfillRefusedException>(() => runner.JoinAsync("customers"));
        Assert.Contains("There is no backfill job 'customers'", unknown.Message, StringComparison.Ordinal);

        await runner.RunAsync(scenario.Job(), restart: false);
        var unsplit = await Assert.ThrowsAsync<BackfillRefusedException>(() => runner.JoinAsync("customers"));
        Assert.Contains("is not split into key ranges, so another process cannot join it. Add e.g. 'ranges: 8'", unsplit.Message, StringComparison.Ordinal);

        await runner.RunAsync(scenario.Job(more: "ranges: 2"), restart: false);
        var completed = await Assert.ThrowsAsync<BackfillRefusedException>(() => runner.JoinAsync("customers"));
        Assert.Equal(
            "Backfill job 'customers' is completed; `join` adds workers to a running split job. It completed.",
            completed.Message);
        var none = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new BackfillRunner(scenario.Store, TimeProvider.System) { Workers = 0 }.JoinAsync("customers"));
        Assert.Contains("Workers must be from 1 to 64", none.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ranges: 0", "job.yaml:5: ranges: '0' is not a whole number between 1 and 1000; the default is 1")]
    [InlineData("ranges: 1001", "'1001' is not a whole number between 1 and 1000")]
    [InlineData("ranges: many", "'many' is not a whole number between 1 and 1000")]
    public void JobFile_NonsenseRanges_IsRejectedWithItsLine(string ranges, string expected)
    {
        var yaml = $"""
            name: customers
            source: {"{"} store: "sqlite:legacy.db", table: customers, key: [id] {"}"}
            target: {"{"} store: "sqlite:new.db", table: clients {"}"}
            columns: {"{"} client_id: id {"}"}
            {ranges}
            """;

        var error = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse(yaml, "job.yaml"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MoreRangesThanRows_MakesOneRangePerRowAndAnEmptyLastOne()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var record = await new BackfillRunner(scenario.Store, TimeProvider.System) { Workers = 4 }.RunAsync(scenario.Job(more: "ranges: 100"), restart: false);

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(CustomersScenario.Rows + 1, record.Ranges.Count);
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
    }

    /// <summary>A control store of the given engine for a scenario: its own SQLite store, or a fresh schema on the test PostgreSQL.</summary>
    private sealed class SplitStore : IAsyncDisposable
    {
        private readonly TestPostgres? _postgres;

        private SplitStore(IBackfillStore store, TestPostgres? postgres, bool owned)
        {
            Store = store;
            _postgres = postgres;
            Owned = owned;
        }

        public IBackfillStore Store { get; }

        private bool Owned { get; }

        public static async Task<SplitStore> CreateAsync(string engine, CustomersScenario scenario)
        {
            if (engine == "sqlite")
            {
                return new SplitStore(scenario.Store, null, owned: false);
            }

            var postgres = await TestPostgres.CreateAsync();
            return new SplitStore(ControlStoreFactory.CreateBackfillStore(postgres.Location, TimeProvider.System), postgres, owned: true);
        }

        public async ValueTask DisposeAsync()
        {
            if (Owned)
            {
                await Store.DisposeAsync();
            }

            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }
        }
    }
}
