using Cutover.Backfill.Running;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Store;
using Cutover.Testing;

namespace Cutover.Backfill.Tests.Backups;

public sealed class RestoreTests
{
    private static readonly string[] OriginalRows = ["1|97|Old Name|old@example.com|0", "9|1|Kept Row|null|1"];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RestoreAsync_AfterBackfillOverwroteAndAddedRows_BringsBackExactlyTheOriginalRows(string engine)
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", engine);
        await scenario.Target.ExecuteAsync(
            "INSERT INTO clients VALUES (1, 97, 'Old Name', 'old@example.com', 0), (9, 1, 'Kept Row', NULL, 1)",
            "INSERT INTO clients VALUES (1, 97, 'Old Name', 'old@example.com', FALSE), (9, 1, 'Kept Row', NULL, TRUE)");

        var copied = await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        var backfilled = await scenario.TargetRowsAsync();
        Assert.Equal(CustomersScenario.Rows + 1, backfilled.Count);
        Assert.Contains("1|97|First3 Last3|c3@example.com|0", backfilled);
        Assert.Equal("clients__cutover_backup_customers", copied.Backup);

        var restored = await scenario.Runner().RestoreAsync("customers");

        Assert.Equal(OriginalRows, await scenario.TargetRowsAsync());
        Assert.Equal(2, restored.Rows);
        Assert.Equal(BackfillStatus.Stopped, restored.Record.Status);
        Assert.Equal(0, restored.Record.RowsCopied);
        Assert.Null(restored.Record.LastKey);
        Assert.Equal(restored.Record, await scenario.Store.GetBackfillAsync("customers"));

        await scenario.Runner().ResumeAsync("customers");
        Assert.Equal(backfilled, await scenario.TargetRowsAsync());
        await scenario.Runner().RestoreAsync("customers");
        Assert.Equal(OriginalRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task RestoreAsync_RowsReferencedFromAnotherTable_FailsAndChangesNothing()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Target.ExecuteAsync(
            "CREATE TABLE orders (tenant_id integer, client_id bigint, FOREIGN KEY (tenant_id, client_id) REFERENCES clients); INSERT INTO orders VALUES (3, 98)");

        var error = await Assert.ThrowsAsync<BackfillFailedException>(() => scenario.Runner().RestoreAsync("customers"));

        Assert.StartsWith("Restoring table 'clients' from 'clients__cutover_backup_customers' in ", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed, and changed nothing (it is one transaction)", error.Message, StringComparison.Ordinal);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
        Assert.Equal(BackfillStatus.Completed, (await scenario.Store.GetBackfillAsync("customers"))!.Status);
    }

    [Fact]
    public async Task RunAsync_CompletedJobRunAgain_KeepsTheFirstSnapshot()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Target.ExecuteAsync("INSERT INTO clients VALUES (9, 1, 'Kept Row', NULL, 1)");
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);

        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Runner().RestoreAsync("customers");

        Assert.Equal(["9|1|Kept Row|null|1"], await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task RunAsync_BackupTableAlreadyThere_IsRefusedBeforeAnyWrite()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        await scenario.Target.ExecuteAsync("CREATE TABLE clients__cutover_backup_customers (tenant_id integer)");

        var refused = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().RunAsync(scenario.Job(), restart: false));

        Assert.StartsWith(
            "Backfill job 'customers' would back up table 'clients' into 'clients__cutover_backup_customers' in " + scenario.Target.Location,
            refused.Message,
            StringComparison.Ordinal);
        Assert.Contains("that table exists: it may be the snapshot of an earlier job of this name", refused.Message, StringComparison.Ordinal);
        Assert.Contains("(DROP TABLE clients__cutover_backup_customers), then run again.", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task RestoreAsync_JobWithoutBackupOrUnknown_SaysThereIsNothingToRestore()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var unknown = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().RestoreAsync("customers"));
        await scenario.Store.InitializeAsync();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        await scenario.Store.SaveBackfillAsync(new BackfillRecord("customers", scenario.JobYaml(), BackfillStatus.Completed, null, 25, "0", now, now, 0, now, null));
        var none = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().RestoreAsync("customers"));

        Assert.StartsWith("There is no backfill job 'customers' in sqlite:", unknown.Message, StringComparison.Ordinal);
        Assert.StartsWith("Backfill job 'customers' has no backup to restore: no run of it has taken one", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreAsync_WhileARunHoldsTheJob_IsRefusedAndChangesNothing()
    {
        var time = new ManualTime();
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite", time);
        using var stop = new CancellationTokenSource();
        var run = scenario.Runner().RunAsync(scenario.Job(batchSize: 5, rateLimit: 5), restart: false, stop.Token);
        await Eventually.TrueAsync(() => time.ArmedTimers == 1);

        var refused = await Assert.ThrowsAsync<BackfillBusyException>(() => scenario.Runner().RestoreAsync("customers"));

        Assert.StartsWith("Backfill job 'customers' is already running", refused.Message, StringComparison.Ordinal);
        Assert.Equal(5, (await scenario.TargetRowsAsync()).Count);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
