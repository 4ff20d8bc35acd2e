using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Transforms;
using Cutover.Store;

namespace Cutover.Backfill.Tests.Running;

/// <summary>
/// A PostgreSQL source or target that goes away mid-run, for real: its database's own connections
/// are terminated by the server (<c>pg_terminate_backend</c>), and for a database that stays down,
/// new connections are refused (<c>ALLOW_CONNECTIONS false</c>). Catch-up passes have no progress
/// callback, so there the loss is set off by a transform, between a batch's read and its write.
/// </summary>
public sealed class ConnectionLossTests
{
    public static TheoryData<string, string> LostSides => new()
    {
        { "sqlite", "postgres-database" },
        { "postgres-database", "sqlite" },
    };

    [Theory]
    [MemberData(nameof(LostSides))]
    public async Task RunAsync_ConnectionTerminatedMidRun_ReconnectsRetriesTheBatchAndEndsAsAStraightRun(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        var postgres = source == "sqlite" ? scenario.Target : scenario.Source;
        var retries = new List<BackfillRetry>();
        var runner = new BackfillRunner(scenario.Store, scenario.Time)
        {
            Progress = p =>
            {
                if (p.Record.RowsCopied == 8)
                {
                    postgres.TerminateConnectionsAsync().GetAwaiter().GetResult();
                }
            },
            Retrying = retries.Add,
        };

        var record = await runner.RunAsync(JobWithRetries(scenario, attempts: 3), restart: false);

        var retry = Assert.Single(retries);
        Assert.Equal((1, 3, TimeSpan.FromMilliseconds(10)), (retry.Attempt, retry.Attempts, retry.Wait));
        var role = source == "sqlite" ? "target" : "source";
        Assert.StartsWith($"The {role} database {postgres.Location} cannot be used: ", retry.Error, StringComparison.Ordinal);
        Assert.Contains("Check that the server is running and reachable", retry.Error, StringComparison.Ordinal);
        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Null(record.LastError);
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task RunAsync_TargetStaysDown_StopsFailedAtTheLastGoodBatchNamingItAndResumeFinishesTheCopy()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres-database");
        var retries = new List<BackfillRetry>();
        var runner = new BackfillRunner(scenario.Store, scenario.Time)
        {
            Progress = p =>
            {
                if (p.Record.RowsCopied == 8)
                {
                    scenario.Target.AllowConnectionsAsync(false).GetAwaiter().GetResult();
                    scenario.Target.TerminateConnectionsAsync().GetAwaiter().GetResult();
                }
            },
            Retrying = retries.Add,
        };

        var error = await Assert.ThrowsAsync<BackfillFailedException>(() => runner.RunAsync(JobWithRetries(scenario, attempts: 2), restart: false));

        Assert.Equal([1, 2], retries.Select(r => r.Attempt));
        Assert.Equal([TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)], retries.Select(r => r.Wait));
        Assert.StartsWith(
            $"Backfill job 'customers' failed after 8 rows (checkpoint at key (1, 97)) and 2 retries of the lost connection: The target database {scenario.Target.Location} cannot be used: ",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("is not currently accepting connections. Check that the server is running", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Fix the cause and run `cutover backfill resume customers`; the batch that failed is copied again.", error.Message, StringComparison.Ordinal);
        var failed = await scenario.Store.GetBackfillAsync("customers");
        Assert.Equal((BackfillStatus.Failed, 8L), (failed!.Status, failed.RowsCopied));
        Assert.Contains("The target database ", failed.LastError, StringComparison.Ordinal);

        await scenario.Target.AllowConnectionsAsync(true);
        var record = await scenario.Runner().ResumeAsync("customers");

        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.Rows, record.RowsCopied);
        Assert.Equal(CustomersScenario.ExpectedChecksum(), record.Checksum);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Theory]
    [MemberData(nameof(LostSides))]
    public async Task CatchUpAsync_ConnectionTerminatedMidPass_ReconnectsRetriesTheBatchAndCatchesUp(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        var postgres = source == "sqlite" ? scenario.Target : scenario.Source;
        var job = JobWithRetries(scenario, attempts: 3);
        await scenario.Runner().RunAsync(job, restart: false);
        await ChangeEveryEmailAsync(scenario);
        var retries = new List<BackfillRetry>();
        var runner = new BackfillRunner(scenario.Store, scenario.Time)
        {
            Transform = new AtSecondBatch(() => postgres.TerminateConnectionsAsync()),
            Retrying = retries.Add,
        };

        var result = await runner.CatchUpAsync("customers");

        var retry = Assert.Single(retries);
        Assert.Equal((1, 3), (retry.Attempt, retry.Attempts));
        Assert.StartsWith($"The {(source == "sqlite" ? "target" : "source")} database {postgres.Location} cannot be used: ", retry.Error, StringComparison.Ordinal);
        Assert.Equal([CustomersScenario.Rows], result.PassRows);
        Assert.True(result.CaughtUp);
        Assert.Equal("(3)", KeyCodec.Display(result.Record.HighWater));
        Assert.Equal(result.Record, await scenario.Store.GetBackfillAsync("customers"));
        Assert.Null(result.Record.LastError);
        Assert.Equal(ChangedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task CatchUpAsync_TargetStaysDown_StopsKeepingTheMarkAndASecondCatchUpCopiesThePassAgain()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres-database");
        await scenario.Runner().RunAsync(JobWithRetries(scenario, attempts: 2), restart: false);
        await ChangeEveryEmailAsync(scenario);
        var retries = new List<BackfillRetry>();
        var runner = new BackfillRunner(scenario.Store, scenario.Time)
        {
            Transform = new AtSecondBatch(async () =>
            {
                await scenario.Target.AllowConnectionsAsync(false);
                await scenario.Target.TerminateConnectionsAsync();
            }),
            Retrying = retries.Add,
        };

        var error = await Assert.ThrowsAsync<BackfillFailedException>(() => runner.CatchUpAsync("customers"));
        var stopped = await scenario.Store.GetBackfillAsync("customers");
        await scenario.Target.AllowConnectionsAsync(true);
        var midway = await scenario.TargetRowsAsync();
        var result = await scenario.Runner().CatchUpAsync("customers");

        Assert.Equal([1, 2], retries.Select(r => r.Attempt));
        Assert.StartsWith(
            $"Catch-up of backfill job 'customers' failed in pass 1 after 2 retries of the lost connection: The target database {scenario.Target.Location} cannot be used: ",
            error.Message,
            StringComparison.Ordinal);
        Assert.EndsWith("Fix the cause and run `cutover backfill catchup customers` again; the high-water mark was kept, so the pass is copied again.", error.Message, StringComparison.Ordinal);
        Assert.Equal((BackfillStatus.Completed, "(1)"), (stopped!.Status, KeyCodec.Display(stopped.HighWater)));
        Assert.StartsWith("The target database ", stopped.LastError, StringComparison.Ordinal);
        Assert.Equal(4, midway.Count(r => r.Contains("|after@example.com|", StringComparison.Ordinal)));
        Assert.Equal([CustomersScenario.Rows], result.PassRows);
        Assert.Equal("(3)", KeyCodec.Display(result.Record.HighWater));
        Assert.Null(result.Record.LastError);
        Assert.Equal(ChangedRows, await scenario.TargetRowsAsync());
    }

    private static BackfillJob JobWithRetries(CustomersScenario scenario, int attempts) =>
        BackfillJobFile.Parse(scenario.JobYaml() + $"\nretries: {{ attempts: {attempts}, backoff: 10ms }}", "job.yaml");

    /// <summary>The target's rows after every email changed to <c>after@example.com</c>, in key order.</summary>
    private static IReadOnlyList<string> ChangedRows { get; } =
        [.. CustomersScenario.ExpectedRows.Select(r => r.Split('|')).Select(v => string.Join('|', v[0], v[1], v[2], "after@example.com", v[4]))];

    private static Task ChangeEveryEmailAsync(CustomersScenario scenario) =>
        scenario.Source.ExecuteAsync("UPDATE customers SET email = 'after@example.com', updated_at = 3");

    /// <summary>Keeps every row, and the first time it sees the second batch (after 4 rows) sets off <paramref name="loss"/>.</summary>
    private sealed class AtSecondBatch(Func<Task> loss) : IRowTransform
    {
        private int _rows;

        public RowVerdict Transform(MappedRow row)
        {
            if (++_rows == 5)
            {
                loss().GetAwaiter().GetResult();
            }

            return RowVerdict.Keep;
        }
    }
}
