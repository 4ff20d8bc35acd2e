using System.Collections.Concurrent;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Throttling;
using Cutover.Store;
using Cutover.Testing;

namespace Cutover.Backfill.Tests.Throttling;

public sealed class ThrottleTests
{
    private static readonly DateTimeOffset Start = ManualTime.DefaultStart;

    [Fact]
    public async Task RunAsync_HealthQueryOverItsMaximum_BacksOffLongerEachCheckAndCopiesOnceHealthy()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        await scenario.Target.ExecuteAsync("CREATE TABLE replication (lag_seconds REAL NOT NULL); INSERT INTO replication VALUES (42)");
        var states = new ConcurrentQueue<string>();
        var job = Throttled(scenario, "throttle: { healthQuery: \"SELECT lag_seconds FROM replication\", healthMax: 10, checkEvery: 30s, backoff: 1s }");
        var run = scenario.Runner(p => states.Enqueue(p.Throttle.ToString())).RunAsync(job, restart: false);

        await Eventually.TrueAsync(() => time.ArmedTimers == 1);
        Assert.Equal(0, await RowsAsync(scenario));
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => states.Count(s => s.StartsWith("backing off", StringComparison.Ordinal)) == 2 && time.ArmedTimers == 1);
        await scenario.Target.ExecuteAsync("UPDATE replication SET lag_seconds = 3");
        time.Advance(TimeSpan.FromSeconds(2));

        var record = await Eventually.DoneAsync(run);
        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(
            [
                "backing off: the health query returned 42, over 10; waiting 1s",
                "backing off: the health query returned 42, over 10; waiting 2s",
            ],
            states.Where(s => s != "none"));
    }

    /// <remarks>
    /// Slow writes take 600 ms against a 400 ms limit. Write times are real, so on a loaded machine
    /// a "fast" write can pass the limit too and back the run off again: once the trigger is gone,
    /// the test lets any such wait pass instead of expecting exactly two.
    /// </remarks>
    [Fact]
    public async Task RunAsync_TargetWritesSlowerThanMaxWriteLatency_BacksOffAndRecoversWhenWritesAreFastAgain()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres", time);
        await scenario.Target.ExecuteAsync(string.Empty, """
            CREATE FUNCTION slow_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.6); RETURN NULL; END $$;
            CREATE TRIGGER slow_clients AFTER INSERT ON clients FOR EACH STATEMENT EXECUTE FUNCTION slow_write();
            """);
        var states = new ConcurrentQueue<string>();
        var job = Throttled(scenario, "throttle: { maxWriteLatency: 400ms, backoff: 1s }", batchSize: 5);
        var run = scenario.Runner(p => states.Enqueue(p.Throttle.ToString())).RunAsync(job, restart: false);

        await Eventually.TrueAsync(() => time.ArmedTimers == 1);
        Assert.Equal(5, await RowsAsync(scenario));
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => time.ArmedTimers == 1 && await RowsAsync(scenario) == 10);
        await scenario.Target.ExecuteAsync(string.Empty, "DROP TRIGGER slow_clients ON clients");
        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() =>
        {
            if (time.ArmedTimers > 0 && !run.IsCompleted)
            {
                time.Advance(TimeSpan.FromMinutes(1));
            }

            return run.IsCompleted;
        });

        var record = await run;
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        var backoffs = states.Where(s => s != "none").Distinct().ToList();
        Assert.True(backoffs.Count >= 2, string.Join(Environment.NewLine, backoffs));
        Assert.Matches("^backing off: a batch's write took [0-9.]+m?s, over 400ms; waiting 1s$", backoffs[0]);
        Assert.Matches("^backing off: a batch's write took [0-9.]+m?s, over 400ms; waiting 2s$", backoffs[1]);
        Assert.True(record.UpdatedAt - record.RunStartedAt >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RunAsync_StoppedWhileBackingOff_KeepsTheBackoffWithTheRecordUntilThenAndClearsIt()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        await scenario.Target.ExecuteAsync("CREATE TABLE replication (lag_seconds REAL NOT NULL); INSERT INTO replication VALUES (42)");
        using var stop = new CancellationTokenSource();
        var run = scenario.Runner().RunAsync(Throttled(scenario, "throttle: { healthQuery: \"SELECT lag_seconds FROM replication\", healthMax: 10, backoff: 1s }"), restart: false, stop.Token);
        await Eventually.TrueAsync(() => time.ArmedTimers == 1);
        var backingOff = await scenario.Store.GetBackfillAsync("customers");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var stopped = await scenario.Store.GetBackfillAsync("customers");

        Assert.Equal(BackfillStatus.Running, backingOff!.Status);
        Assert.Equal(ThrottleState.BackingOff("the health query returned 42, over 10", TimeSpan.FromSeconds(1), Start), BackfillProgress.Of(backingOff, null, Start).Throttle);
        Assert.Equal(BackfillStatus.Stopped, stopped!.Status);
        Assert.Null(stopped.Throttle);
        Assert.Equal(ThrottleState.None, BackfillProgress.Of(stopped, null, Start).Throttle);
    }

    [Fact]
    public async Task PauseAsync_RunningJob_StopsCopyingBetweenBatchesUntilUnpausedThenEndsAsAStraightRun()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        var run = scenario.Runner().RunAsync(scenario.Job(batchSize: 5, rateLimit: 5), restart: false);
        await Eventually.TrueAsync(async () => time.ArmedTimers == 1 && await RowsAsync(scenario) == 5);

        await scenario.Runner().PauseAsync("customers");
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => (await scenario.Store.GetBackfillAsync("customers"))!.Status == BackfillStatus.Paused && time.ArmedTimers == 1);
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => time.ArmedTimers == 1);
        var paused = await scenario.Store.GetBackfillAsync("customers");
        Assert.Equal(10, paused!.RowsCopied);
        Assert.Equal(ThrottleKind.Paused, BackfillProgress.Of(paused, 25, time.GetUtcNow()).Throttle.Kind);

        Assert.True(await scenario.Runner().UnpauseAsync("customers"));
        time.Advance(BackfillRunner.PausePoll);
        await Eventually.TrueAsync(() => time.ArmedTimers == 1 || run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));

        var record = await Eventually.DoneAsync(run);
        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
        Assert.False(await scenario.Runner().UnpauseAsync("customers"));
    }

    [Fact]
    public async Task PauseAsync_JobNotRunning_IsRefusedPointingAtResume()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Store.InitializeAsync();
        var missing = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().PauseAsync("customers"));
        await scenario.Store.SaveBackfillAsync(new BackfillRecord("customers", scenario.JobYaml(), BackfillStatus.Stopped, null, 8, "0", Start, Start, 0, Start, null));

        var stopped = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().PauseAsync("customers"));

        Assert.StartsWith("There is no backfill job 'customers'", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith("Backfill job 'customers' is not running (status stopped, no run holds it in", stopped.Message, StringComparison.Ordinal);
        Assert.EndsWith("there is nothing to pause. It is already at rest at its checkpoint; `cutover backfill resume customers` continues it.", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeLeft_RunningJob_IsTheRowsLeftAtTheRecentSpeed()
    {
        var record = new BackfillRecord("customers", "", BackfillStatus.Running, null, 400, "0", Start, Start, 0, Start, null);

        var progress = BackfillProgress.Of(record, 1000, Start + TimeSpan.FromSeconds(4)) with { RecentRowsPerSecond = 50 };

        Assert.Equal(100, progress.RowsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(12), progress.TimeLeft);
        Assert.Equal(TimeSpan.FromSeconds(6), (progress with { RecentRowsPerSecond = null }).TimeLeft);
        Assert.Null((progress with { SourceRows = null }).TimeLeft);
        Assert.Null(BackfillProgress.Of(record with { Status = BackfillStatus.Completed }, 1000, Start).TimeLeft);
    }

    private static BackfillJob Throttled(CustomersScenario scenario, string throttle, int batchSize = 10) =>
        BackfillJobFile.Parse(scenario.JobYaml(batchSize, more: throttle), "job.yaml");

    private static async Task<long> RowsAsync(CustomersScenario scenario) => (await scenario.Store.GetBackfillAsync("customers"))?.RowsCopied ?? 0;
}
