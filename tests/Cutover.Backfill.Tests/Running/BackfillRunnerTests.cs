using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Running;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Store;
using Cutover.Testing;

namespace Cutover.Backfill.Tests.Running;

public sealed class BackfillRunnerTests
{
    public static TheoryData<string, string> Pairings => new()
    {
        { "sqlite", "sqlite" },
        { "sqlite", "postgres" },
        { "postgres", "sqlite" },
        { "postgres", "postgres" },
    };

    [Theory]
    [MemberData(nameof(Pairings))]
    public async Task RunAsync_EachPairing_CopiesCompositeKeyWithRenamesExpressionAndConversion(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);

        var record = await scenario.Runner().RunAsync(scenario.Job(), restart: false);

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
        Assert.Equal("(3, 98)", KeyCodec.Display(record.LastKey));
        Assert.Equal(record, await scenario.Store.GetBackfillAsync("customers"));
    }

    [Theory]
    [InlineData("sqlite", "sqlite")]
    [InlineData("postgres", "postgres")]
    public async Task ResumeAsync_AfterStopMidRun_ContinuesFromCheckpointAndEndsAsAStraightRun(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        using var stop = new CancellationTokenSource();
        var batches = 0;
        var runner = scenario.Runner(progress =>
        {
            if (progress.Record.RowsCopied > 0 && ++batches == 2)
            {
                stop.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(scenario.Job(), restart: false, stop.Token));
        var stopped = await scenario.Store.GetBackfillAsync("customers");
        Assert.Equal(BackfillStatus.Stopped, stopped!.Status);
        Assert.Equal(8, stopped.RowsCopied);
        Assert.Equal(8, (await scenario.TargetRowsAsync()).Count);

        var resumed = new List<long>();
        var record = await scenario.Runner(p => resumed.Add(p.Record.RowsCopied)).ResumeAsync("customers");

        Assert.Equal(8, resumed[0]);
        Assert.Equal(12, resumed[1]);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
    }

    [Fact]
    public async Task ResumeAsync_CheckpointLostAfterTheBatchCommitted_RecopiesItIdempotently()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var store = new LosingStore(scenario.Store, failSave: 3);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => new BackfillRunner(store, scenario.Time).RunAsync(scenario.Job(), restart: false));
        Assert.Equal(8, (await scenario.TargetRowsAsync()).Count);
        Assert.Equal(4, (await scenario.Store.GetBackfillAsync("customers"))!.RowsCopied);

        var record = await scenario.Runner().ResumeAsync("customers");

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
    }

    [Fact]
    public async Task RunAsync_RowTheTargetCannotTake_FailsNamingKeyAndColumnAndResumesOnceFixed()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        await scenario.Source.ExecuteAsync("UPDATE customers SET active = 'maybe' WHERE tenant = 2 AND id = 87");

        var error = await Assert.ThrowsAsync<BackfillFailedException>(() => scenario.Runner().RunAsync(scenario.Job(), restart: false));

        Assert.StartsWith("Backfill job 'customers' failed after 12 rows (checkpoint at key (2, 84)): The row with key (2, 87) cannot be written: target column 'active' (boolean) cannot take 'maybe'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Convert it in the mapping (columns.active), or fix the source row", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Fix the cause and run `cutover backfill resume customers`; the batch that failed is copied again.", error.Message, StringComparison.Ordinal);
        var failed = await scenario.Store.GetBackfillAsync("customers");
        Assert.Equal(BackfillStatus.Failed, failed!.Status);
        Assert.Equal(12, failed.RowsCopied);
        Assert.Contains("The row with key (2, 87)", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(12, (await scenario.TargetRowsAsync()).Count);

        await scenario.Source.ExecuteAsync("UPDATE customers SET active = FALSE WHERE tenant = 2 AND id = 87");
        var record = await scenario.Runner().ResumeAsync("customers");

        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Null(record.LastError);
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
    }

    [Fact]
    public async Task RunAsync_JobWithUnfinishedCheckpoint_IsRefusedPointingAtResumeUnlessRestarted()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scenario.Runner(_ => stop.Cancel()).RunAsync(scenario.Job(), restart: false, stop.Token));

        var refused = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().RunAsync(scenario.Job(), restart: false));
        Assert.Contains("Backfill job 'customers' has a checkpoint", refused.Message, StringComparison.Ordinal);
        Assert.Contains("`cutover backfill resume customers`", refused.Message, StringComparison.Ordinal);

        var record = await scenario.Runner().RunAsync(scenario.Job(), restart: true);
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
    }

    [Fact]
    public async Task ResumeAsync_UnknownOrCompletedJob_IsRefusedWithWhatToDo()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var unknown = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().ResumeAsync("customers"));
        Assert.Contains("There is no backfill job 'customers'", unknown.Message, StringComparison.Ordinal);

        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        var completed = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().ResumeAsync("customers"));
        Assert.Contains("completed (25 rows); there is nothing to resume", completed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameJobAlreadyRunning_SecondRunIsRefusedAndFirstFinishes()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        using var stop = new CancellationTokenSource();
        var first = scenario.Runner().RunAsync(scenario.Job(batchSize: 5, rateLimit: 5), restart: false, stop.Token);
        await Eventually.TrueAsync(() => time.ArmedTimers == 1);

        var refused = await Assert.ThrowsAsync<BackfillBusyException>(() => scenario.Runner().RunAsync(scenario.Job(), restart: false));
        var again = await Assert.ThrowsAsync<BackfillBusyException>(() => scenario.Runner().ResumeAsync("customers"));

        Assert.Contains("Backfill job 'customers' is already running", refused.Message, StringComparison.Ordinal);
        Assert.Contains("`cutover backfill status customers`", refused.Message, StringComparison.Ordinal);
        Assert.Equal(refused.Message, again.Message);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(BackfillStatus.Stopped, (await scenario.Store.GetBackfillAsync("customers"))!.Status);
    }

    [Fact]
    public async Task RunAsync_LeaseHeldByARunThatDiedOnThisMachine_TakesTheJobOverAtOnce()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Store.InitializeAsync();
        using var dead = System.Diagnostics.Process.Start("true")!;
        await dead.WaitForExitAsync();
        Assert.True(await scenario.Store.TryLeaseAsync("backfill:customers", $"{Environment.MachineName}:{dead.Id}:run", TimeSpan.FromMinutes(1)));

        var record = await scenario.Runner().RunAsync(scenario.Job(), restart: false);

        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Null(await scenario.Store.GetLeaseHolderAsync("backfill:customers"));
    }

    [Theory]
    [InlineData("this-machine-live-process")]
    [InlineData("another-machine")]
    public async Task RunAsync_LeaseHeldByALiveOrRemoteRun_IsRefusedSayingWhenItExpires(string holder)
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Store.InitializeAsync();
        var name = holder == "another-machine" ? $"elsewhere:{int.MaxValue}:run" : $"{Environment.MachineName}:{Environment.ProcessId}:run";
        Assert.True(await scenario.Store.TryLeaseAsync("backfill:customers", name, TimeSpan.FromMinutes(1)));

        var refused = await Assert.ThrowsAsync<BackfillBusyException>(() => scenario.Runner().RunAsync(scenario.Job(), restart: false));

        Assert.EndsWith("if it died on another machine, its hold expires within 30 seconds (a run that died on this one is taken over at once).", refused.Message, StringComparison.Ordinal);
        Assert.Equal(name, await scenario.Store.GetLeaseHolderAsync("backfill:customers"));
    }

    [Fact]
    public async Task RunAsync_RateLimit_StartsEachBatchOnlyWhenTheRowsSoFarAreWithinIt()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        var run = scenario.Runner().RunAsync(scenario.Job(batchSize: 10, rateLimit: 20), restart: false);

        await Eventually.TrueAsync(() => time.ArmedTimers == 1);
        Assert.Equal(10, await RowsAsync(scenario));
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(1, time.ArmedTimers);
        Assert.Equal(10, await RowsAsync(scenario));

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(async () => time.ArmedTimers == 1 && await RowsAsync(scenario) == 20);
        time.Advance(TimeSpan.FromMilliseconds(500));

        var record = await Eventually.DoneAsync(run);
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
        Assert.Equal(TimeSpan.FromSeconds(1), record.UpdatedAt - record.RunStartedAt);
    }

    private static async Task<long> RowsAsync(CustomersScenario scenario) => (await scenario.Store.GetBackfillAsync("customers"))?.RowsCopied ?? 0;
}
