using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Running;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Store;

namespace Cutover.Backfill.Tests.CatchUp;

public sealed class CatchUpTests
{
    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "postgres")]
    public async Task CatchUpAsync_RowsUpdatedDuringAndAfterTheCopy_AreCopiedAgainAndTheMarkMoves(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        var batches = 0;
        var record = await scenario.Runner(progress =>
        {
            if (progress.Record.RowsCopied > 0 && ++batches == 2)
            {
                scenario.Source.ExecuteAsync("UPDATE customers SET first_name = 'During', updated_at = 2 WHERE tenant = 1 AND id = 97").GetAwaiter().GetResult();
            }
        }).RunAsync(scenario.Job(), restart: false);
        Assert.Equal("(1)", KeyCodec.Display(record.HighWater));
        Assert.Contains("1|97|First3 Last3|c3@example.com|0", await scenario.TargetRowsAsync());
        await scenario.Source.ExecuteAsync("UPDATE customers SET email = 'after@example.com', updated_at = 3 WHERE id IN (76, 98)");

        var result = await scenario.Runner().CatchUpAsync("customers");

        Assert.Equal([3L], result.PassRows);
        Assert.True(result.CaughtUp);
        Assert.Equal("(3)", KeyCodec.Display(result.Record.HighWater));
        Assert.Equal(result.Record, await scenario.Store.GetBackfillAsync("customers"));
        var rows = await scenario.TargetRowsAsync();
        Assert.Contains("1|97|During Last3|c3@example.com|0", rows);
        Assert.Contains("3|98|First2 Last2|after@example.com|1", rows);
        Assert.Contains("1|76|First24 Last24|after@example.com|1", rows);
        Assert.Equal(CustomersScenario.Rows, rows.Count);
    }

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "postgres")]
    public async Task CatchUpAsync_UnchangedSource_RunsOnePassOfZeroRows(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);

        var result = await scenario.Runner().CatchUpAsync("customers");

        Assert.Equal([0L], result.PassRows);
        Assert.True(result.CaughtUp);
        Assert.Equal("(1)", KeyCodec.Display(result.Record.HighWater));
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CatchUpAsync_TimestampChangeColumn_ComparesTimesAsTheSourceStoresThem(string source)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, "postgres");
        await scenario.Source.ExecuteAsync(
            "UPDATE customers SET updated_at = '2026-01-01 10:00:00.250'",
            "ALTER TABLE customers ALTER COLUMN updated_at DROP DEFAULT, ALTER COLUMN updated_at TYPE timestamptz USING timestamptz '2026-01-01 10:00:00.250+00'");
        await scenario.Runner().RunAsync(scenario.Job(margin: "0s"), restart: false);
        await scenario.Source.ExecuteAsync("UPDATE customers SET first_name = 'Later', updated_at = '2026-01-01 10:00:00.251' WHERE tenant = 3 AND id = 98");

        var first = await scenario.Runner().CatchUpAsync("customers");
        var second = await scenario.Runner().CatchUpAsync("customers");

        Assert.Equal([1L], first.PassRows);
        Assert.Equal([0L], second.PassRows);
        Assert.Contains("3|98|Later Last2|c2@example.com|1", await scenario.TargetRowsAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CatchUpAsync_RowsEditedAtTheMarkOrWithinTheMargin_AreCopiedAndRowsFarBelowAreNot(string source)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, "sqlite");
        await scenario.Source.ExecuteAsync(
            "UPDATE customers SET updated_at = '2026-01-01 10:00:00'",
            "ALTER TABLE customers ALTER COLUMN updated_at DROP DEFAULT, ALTER COLUMN updated_at TYPE timestamptz USING timestamptz '2026-01-01 10:00:00+00'");
        await scenario.Source.ExecuteAsync(
            "UPDATE customers SET updated_at = '2026-01-01 10:00:10' WHERE tenant = 3 AND id = 98",
            "UPDATE customers SET updated_at = '2026-01-01 10:00:10+00' WHERE tenant = 3 AND id = 98");
        await scenario.Runner().RunAsync(scenario.Job(margin: "5s"), restart: false);

        // Written by a clock as coarse as the mark's, and by one 4 seconds behind; the third row's edit left its time alone.
        await scenario.Source.ExecuteAsync(
            "UPDATE customers SET first_name = CASE id WHEN 97 THEN 'AtTheMark' WHEN 76 THEN 'InTheMargin' ELSE 'FarBelow' END, " +
            "updated_at = CASE id WHEN 97 THEN '2026-01-01 10:00:10' WHEN 76 THEN '2026-01-01 10:00:06' ELSE updated_at END " +
            "WHERE (tenant, id) IN ((1, 97), (1, 76), (2, 99))",
            "UPDATE customers SET first_name = CASE id WHEN 97 THEN 'AtTheMark' WHEN 76 THEN 'InTheMargin' ELSE 'FarBelow' END, " +
            "updated_at = CASE id WHEN 97 THEN timestamptz '2026-01-01 10:00:10+00' WHEN 76 THEN timestamptz '2026-01-01 10:00:06+00' ELSE updated_at END " +
            "WHERE (tenant, id) IN ((1, 97), (1, 76), (2, 99))");

        var result = await scenario.Runner().CatchUpAsync("customers");

        Assert.Equal([3L], result.PassRows);
        Assert.True(result.CaughtUp);
        var rows = await scenario.TargetRowsAsync();
        Assert.Contains(rows, r => r.StartsWith("1|97|AtTheMark ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("1|76|InTheMargin ", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("FarBelow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CatchUpAsync_PassAtOrOverTheLagThreshold_RunsAnotherUntilOneIsUnder()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Runner().RunAsync(scenario.Job(maxLagRows: 2), restart: false);
        await scenario.Source.ExecuteAsync("UPDATE customers SET last_name = 'Moved', updated_at = 2 WHERE tenant = 2");

        var result = await scenario.Runner().CatchUpAsync("customers");

        Assert.Equal([9L, 0L], result.PassRows);
        Assert.True(result.CaughtUp);
        Assert.Equal(9, (await scenario.TargetRowsAsync()).Count(r => r.Contains(" Moved|", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CatchUpAsync_JobNotCompletedOrUnknown_IsRefusedWithTheWayOn()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var unknown = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().CatchUpAsync("customers"));
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scenario.Runner(p =>
        {
            if (p.Record.RowsCopied >= 8)
            {
                stop.Cancel();
            }
        }).RunAsync(scenario.Job(), restart: false, stop.Token));

        var unfinished = await Assert.ThrowsAsync<BackfillRefusedException>(() => scenario.Runner().CatchUpAsync("customers"));

        Assert.StartsWith("There is no backfill job 'customers'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(
            "Backfill job 'customers' has not completed its copy (8 rows, stopped); catch-up follows a full copy. Run `cutover backfill resume customers` first.",
            unfinished.Message);
        Assert.Equal(BackfillStatus.Stopped, (await scenario.Store.GetBackfillAsync("customers"))!.Status);
    }
}
