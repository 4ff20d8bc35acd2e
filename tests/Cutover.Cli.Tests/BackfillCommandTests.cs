using System.Text.Json;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Cli.Invocation;
using Cutover.Testing;

namespace Cutover.Cli.Tests;

public sealed class BackfillCommandTests
{
    [Fact]
    public async Task Run_ValidJob_CopiesEveryRowPrintingProgressAndTheResult()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var run = await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(), "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("customers: 0 of 25 rows", run.Out, StringComparison.Ordinal);
        Assert.Contains("customers: 25 of 25 rows", run.Out, StringComparison.Ordinal);
        Assert.Contains("Backfill job 'customers' completed: 25 rows copied (", run.Out, StringComparison.Ordinal);
        Assert.Contains("last key (3, 98), checksum ", run.Out, StringComparison.Ordinal);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task Status_AfterRun_ShowsTheJobInATableAndAsJson()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(), "--store", scenario.StoreLocation);

        var table = await CliRun.RunAsync("backfill", "status", "--store", scenario.StoreLocation);
        var json = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Contains("NAME", table.Out, StringComparison.Ordinal);
        var row = Assert.Single(table.Out.Split('\n'), l => l.Contains("customers", StringComparison.Ordinal));
        Assert.Contains("completed", row, StringComparison.Ordinal);
        Assert.Contains("\t25\t", row, StringComparison.Ordinal);
        Assert.Contains("(3, 98)", row, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("customers", document.RootElement.GetProperty("name").GetString());
        Assert.Equal("completed", document.RootElement.GetProperty("status").GetString());
        Assert.Equal(25, document.RootElement.GetProperty("rowsCopied").GetInt64());
        Assert.Equal(["3", "98"], document.RootElement.GetProperty("lastKey").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("clients__cutover_backup_customers", document.RootElement.GetProperty("backup").GetString());
        Assert.Equal("1", document.RootElement.GetProperty("highWater").GetString());
    }

    [Fact]
    public async Task Status_TransformedJobWithSkip_ShowsTheSkippedCountAndKeys()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var run = await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(more: scenario.TransformYaml(onError: "skip")), "--store", scenario.StoreLocation);
        var table = await CliRun.RunAsync("backfill", "status", "customers", "--store", scenario.StoreLocation);
        var json = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Backfill job 'customers' completed: 24 rows copied (", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 row skipped: see `cutover backfill status customers`.", run.Out, StringComparison.Ordinal);
        Assert.Contains("SKIPPED", table.Out, StringComparison.Ordinal);
        Assert.Contains("customers: 1 row skipped (onError: skip):", table.Out, StringComparison.Ordinal);
        Assert.Contains("  (2, 90)  client 90 is a test account", table.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var skipped = document.RootElement.GetProperty("skipped");
        Assert.Equal(1, skipped.GetProperty("total").GetInt64());
        Assert.Equal("(2, 90)", skipped.GetProperty("rows")[0].GetProperty("key").GetString());
        Assert.Equal("client 90 is a test account", skipped.GetProperty("rows")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Run_TransformRejectsARowOrCannotBeLoaded_SaysWhichKeyAndWhyOrWhichLine()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var rejected = await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(more: scenario.TransformYaml()), "--store", scenario.StoreLocation);
        var notFound = await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(more: scenario.TransformYaml(type: "Nope")), "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Failed, rejected.ExitCode);
        Assert.Contains("The row with key (2, 90) was rejected by the transform: client 90 is a test account.", rejected.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, notFound.ExitCode);
        Assert.Contains("job.yaml:21: transform.type: 'Cutover.Backfill.TestTransforms.Nope' is not a type in Cutover.Backfill.TestTransforms.dll", notFound.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_StoppedJob_ContinuesFromItsCheckpointWithoutTheFile()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scenario.Runner(p =>
        {
            if (p.Record.RowsCopied >= 8)
            {
                stop.Cancel();
            }
        }).RunAsync(scenario.Job(), restart: false, stop.Token));

        var stopped = await CliRun.RunAsync("backfill", "status", "customers", "--store", scenario.StoreLocation);
        var resume = await CliRun.RunAsync("backfill", "resume", "customers", "--store", scenario.StoreLocation);

        Assert.Contains("stopped", stopped.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, resume.ExitCode);
        Assert.Contains("customers: 8 of 25 rows", resume.Out, StringComparison.Ordinal);
        Assert.Contains("Backfill job 'customers' completed: 25 rows copied", resume.Out, StringComparison.Ordinal);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task PauseStatusResume_RunningJob_PausesBetweenBatchesShowsPausedWithoutSpeedOrTimeLeftAndGoesOn()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        var run = scenario.Runner().RunAsync(scenario.Job(batchSize: 5, rateLimit: 5), restart: false);
        await Eventually.TrueAsync(async () => time.ArmedTimers == 1 && (await scenario.Store.GetBackfillAsync("customers"))?.RowsCopied == 5);

        var pause = await CliRun.RunAsync("backfill", "pause", "customers", "--store", scenario.StoreLocation);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => (await scenario.Store.GetBackfillAsync("customers"))!.Status == Cutover.Store.BackfillStatus.Paused);
        var table = await CliRun.RunAsync("backfill", "status", "--store", scenario.StoreLocation);
        var json = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);
        var resume = await CliRun.RunAsync("backfill", "resume", "customers", "--store", scenario.StoreLocation);
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var record = await run;

        Assert.Equal(ExitCodes.Ok, pause.ExitCode);
        Assert.Equal("Backfill job 'customers' pauses after its current batch (5 rows copied so far); its run keeps the job and waits. `cutover backfill resume customers` lets it go on.\n", pause.Out);
        Assert.Contains("TIME LEFT", table.Out, StringComparison.Ordinal);
        var row = Assert.Single(table.Out.Split('\n'), l => l.Contains("customers", StringComparison.Ordinal));
        Assert.Matches(@"\tpaused\t\d+\t0\t—\t—\t", row);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("paused", document.RootElement.GetProperty("status").GetString());
        Assert.Equal("paused", document.RootElement.GetProperty("throttle").GetString());
        Assert.Equal(25, document.RootElement.GetProperty("sourceRows").GetInt64());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("timeLeftSeconds").ValueKind);
        Assert.Equal(ExitCodes.Ok, resume.ExitCode);
        Assert.StartsWith("Backfill job 'customers' resumed: its paused run goes on with the next batch", resume.Out, StringComparison.Ordinal);
        Assert.Equal(Cutover.Store.BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task Status_RunBackingOffOnItsHealthQuery_ShowsWhySinceWhenAndTheWaitUntilTheTargetIsHealthy()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        await scenario.Target.ExecuteAsync("CREATE TABLE replication (lag_seconds REAL NOT NULL); INSERT INTO replication VALUES (42)");
        var job = Cutover.Backfill.Jobs.BackfillJobFile.Parse(
            scenario.JobYaml(10, more: "throttle: { healthQuery: \"SELECT lag_seconds FROM replication\", healthMax: 10, backoff: 1s }"), "job.yaml");
        var run = scenario.Runner().RunAsync(job, restart: false);
        await Eventually.TrueAsync(() => time.ArmedTimers == 1);

        var table = await CliRun.RunAsync("backfill", "status", "--store", scenario.StoreLocation);
        var first = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => time.ArmedTimers == 1 && Cutover.Backfill.Throttling.ThrottleState.Parse((await scenario.Store.GetBackfillAsync("customers"))!.Throttle)?.Wait == TimeSpan.FromSeconds(2));
        var second = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);
        await scenario.Target.ExecuteAsync("UPDATE replication SET lag_seconds = 3");
        time.Advance(TimeSpan.FromSeconds(2));
        await run;
        var done = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Contains("\trunning\t", Assert.Single(table.Out.Split('\n'), l => l.StartsWith("customers\t", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(
            "customers: backing off: the health query returned 42, over 10; waiting 1s (since 2026-01-01 00:00:00, ",
            table.Out.ReplaceLineEndings(string.Empty), StringComparison.Ordinal);
        var backoffs = new[] { first, second }.Select(status => JsonDocument.Parse(status.Out).RootElement).ToList();
        Assert.Equal(
            ["backing off: the health query returned 42, over 10; waiting 1s", "backing off: the health query returned 42, over 10; waiting 2s"],
            backoffs.Select(b => b.GetProperty("throttle").GetString()));
        Assert.All(backoffs, b => Assert.Equal("the health query returned 42, over 10", b.GetProperty("backoff").GetProperty("reason").GetString()));
        Assert.All(backoffs, b => Assert.Equal(ManualTime.DefaultStart, b.GetProperty("backoff").GetProperty("since").GetDateTimeOffset()));
        Assert.Equal([1.0, 2.0], backoffs.Select(b => b.GetProperty("backoff").GetProperty("waitSeconds").GetDouble()));
        using var finished = JsonDocument.Parse(done.Out);
        Assert.Equal("completed", finished.RootElement.GetProperty("status").GetString());
        Assert.Equal("none", finished.RootElement.GetProperty("throttle").GetString());
        Assert.Equal(JsonValueKind.Null, finished.RootElement.GetProperty("backoff").ValueKind);
    }

    [Fact]
    public async Task Pause_JobThatIsNotRunning_FailsPointingAtResume()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(), "--store", scenario.StoreLocation);

        var done = await CliRun.RunAsync("backfill", "pause", "customers", "--store", scenario.StoreLocation);
        var unknown = await CliRun.RunAsync("backfill", "pause", "orders", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Failed, done.ExitCode);
        Assert.StartsWith("error: Backfill job 'customers' is not running (status completed, no run holds it in", done.Error, StringComparison.Ordinal);
        Assert.Contains("there is nothing to pause. It completed.", done.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, unknown.ExitCode);
        Assert.StartsWith("error: There is no backfill job 'orders'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_JobAlreadyRunning_IsRefusedNamingTheJob()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Store.InitializeAsync();
        Assert.True(await scenario.Store.TryLeaseAsync("backfill:customers", "another-process", TimeSpan.FromMinutes(1)));

        var run = await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(), "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.StartsWith("error: Backfill job 'customers' is already running", run.Error, StringComparison.Ordinal);
        Assert.Empty(await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task Run_InvalidOrMissingFile_ExitsBadInputNamingTheFileAndLine()
    {
        var folder = Directory.CreateTempSubdirectory("cutover-backfill-cli-").FullName;
        try
        {
            var path = Path.Combine(folder, "job.yaml");
            await File.WriteAllTextAsync(path, "name: Bad Name\nsource: { store: \"sqlite:a.db\", table: t, key: [id] }\ntarget: { store: \"sqlite:b.db\", table: t }\ncolumns: { id: id }\n");
            var store = "sqlite:" + Path.Combine(folder, "cutover.db");

            var invalid = await CliRun.RunAsync("backfill", "run", "-f", path, "--store", store);
            var missing = await CliRun.RunAsync("backfill", "run", "-f", Path.Combine(folder, "nope.yaml"), "--store", store);

            Assert.Equal(ExitCodes.BadInput, invalid.ExitCode);
            Assert.Contains("job.yaml:1: name: 'Bad Name' is not a job name", invalid.Error, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
            Assert.Contains("nope.yaml: cannot be read", missing.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Run_JobThatDoesNotFitItsDatabases_ExitsBadInputListingTheMismatches()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Target.ExecuteAsync("DROP TABLE clients");

        var run = await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(), "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: The backfill job 'customers' does not fit its databases; nothing was copied. 1 problem:", run.Error, StringComparison.Ordinal);
        Assert.Contains("target.table: table 'clients' does not exist in sqlite:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownJobOrUnusableStore_FailsWithWhatToDo()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var none = await CliRun.RunAsync("backfill", "status", "--store", scenario.StoreLocation);
        var unknown = await CliRun.RunAsync("backfill", "status", "orders", "--store", scenario.StoreLocation);
        var badStore = await CliRun.RunAsync("backfill", "status", "--store", "mysql://somewhere");

        Assert.Equal(ExitCodes.Ok, none.ExitCode);
        Assert.StartsWith("No backfill jobs in ", none.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, unknown.ExitCode);
        Assert.StartsWith("error: There is no backfill job 'orders' in ", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, badStore.ExitCode);
        Assert.StartsWith("error: The store location 'mysql://somewhere' is not a store", badStore.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatchUpAndRestore_AfterRun_CopyTheChangedRowsThenPutTheTargetBack()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Target.ExecuteAsync("INSERT INTO clients VALUES (9, 1, 'Kept Row', NULL, 1)");
        await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(), "--store", scenario.StoreLocation);
        await scenario.Source.ExecuteAsync("UPDATE customers SET first_name = 'Changed', updated_at = 5 WHERE tenant = 1 AND id = 97");

        var catchUp = await CliRun.RunAsync("backfill", "catchup", "customers", "--store", scenario.StoreLocation);
        var rows = await scenario.TargetRowsAsync();
        var restore = await CliRun.RunAsync("backfill", "restore", "customers", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Ok, catchUp.ExitCode);
        Assert.Equal("Catch-up of 'customers': 1 pass copied 1 changed rows; caught up. High-water mark now 5.", catchUp.Out.Trim());
        Assert.Contains("1|97|Changed Last3|c3@example.com|0", rows);
        Assert.Equal(ExitCodes.Ok, restore.ExitCode);
        Assert.Equal(
            "Restored the target table of 'customers' from clients__cutover_backup_customers: 1 row, as before the job's first write. " +
            "The checkpoint is reset; `cutover backfill resume customers` copies from the beginning. The backup is kept (drop it when done).",
            restore.Out.Trim());
        Assert.Equal(["9|1|Kept Row|null|1"], await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task CatchUpAndRestore_UnknownJob_FailWithWhatToDo()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var catchUp = await CliRun.RunAsync("backfill", "catchup", "customers", "--store", scenario.StoreLocation);
        var restore = await CliRun.RunAsync("backfill", "restore", "customers", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Failed, catchUp.ExitCode);
        Assert.StartsWith("error: There is no backfill job 'customers' in ", catchUp.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, restore.ExitCode);
        Assert.StartsWith("error: There is no backfill job 'customers' in ", restore.Error, StringComparison.Ordinal);
    }
}
