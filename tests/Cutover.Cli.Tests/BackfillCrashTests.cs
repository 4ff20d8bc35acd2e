using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Cli.Invocation;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Cutover.Cli.Tests;

/// <summary>
/// Crash safety proven on a real process: <c>cutover backfill run</c> is killed with SIGKILL at
/// random moments mid-run, again and again, each time resumed with <c>cutover backfill resume</c>,
/// and the target must end identical, row by row, to the source's mapping and to a run that never
/// crashed, with the same row count and checksum.
/// </summary>
public sealed class BackfillCrashTests(ITestOutputHelper output)
{
    private const int Rows = 10_000;
    private const int Kills = 4;

    /// <summary>
    /// The crashed job's rows/s: a batch of 500 every 500 ms, so a run lasts seconds however fast
    /// the machine, and a kill at a random moment of a batch's cycle may land in its read, its
    /// write, its checkpoint or the wait. At 4000 rows/s the last resumed run could finish its
    /// 7,000 rows before a loaded machine's test saw its first checkpoint and killed it.
    /// </summary>
    private const int RateLimit = 1000;
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    [InlineData("postgres", "postgres")]
    [InlineData("sqlite", "sqlite")]
    public async Task Resume_AfterTheProcessIsKilledMidRunAgainAndAgain_EndsIdenticalToAStraightRun(string sourceEngine, string targetEngine)
    {
        await using var source = await TestDatabase.CreateAsync(sourceEngine);
        await using var target = await TestDatabase.CreateAsync(targetEngine);
        var folder = Directory.CreateTempSubdirectory("cutover-backfill-crash-").FullName;
        var storeLocation = "sqlite:" + Path.Combine(folder, "cutover.db");
        var store = ControlStoreFactory.CreateBackfillStore(storeLocation, TimeProvider.System);
        CutoverProcess? cutover = null;
        try
        {
            await CreateTablesAsync(source, target);
            await store.InitializeAsync();
            var seed = Random.Shared.Next();
            var random = new Random(seed);
            var log = new List<string> { $"seed {seed}" };

            cutover = CutoverProcess.Start("backfill", "run", "-f", WriteJob(folder, "events", "events_copy", source, target, RateLimit), "--store", storeLocation);
            long checkpoint = 0;
            for (var kill = 1; kill <= Kills; kill++)
            {
                checkpoint = await CheckpointPastAsync(store, checkpoint, cutover);
                await Task.Delay(random.Next(0, 500 * 1000 / RateLimit));
                Assert.False(cutover.HasExited, $"the run ended before kill {kill}; {string.Join(", ", log)}:\n{cutover.Output}");
                await cutover.KillAsync();
                cutover.Dispose();

                var killed = (await store.GetBackfillAsync("events"))!;
                var written = (await target.RowsAsync("SELECT COUNT(*) FROM events_copy"))[0];
                log.Add($"kill {kill}: checkpoint {killed.RowsCopied} rows, target {written} rows, status {killed.Status}");
                Assert.Equal(BackfillStatus.Running, killed.Status);
                checkpoint = killed.RowsCopied;
                cutover = CutoverProcess.Start("backfill", "resume", "events", "--store", storeLocation);
            }

            Assert.True(ExitCodes.Ok == await cutover.ExitCodeAsync(ProcessTimeout), $"{string.Join(", ", log)}:\n{cutover.Output}");
            Assert.Contains($"Backfill job 'events' completed: {Rows:N0} rows copied", cutover.Output, StringComparison.Ordinal);
            var straight = await CliRun.RunAsync("backfill", "run", "-f", WriteJob(folder, "events-straight", "events_straight", source, target, rateLimit: 0), "--store", storeLocation);
            Assert.Equal(ExitCodes.Ok, straight.ExitCode);

            var crashed = (await store.GetBackfillAsync("events"))!;
            var uncrashed = (await store.GetBackfillAsync("events-straight"))!;
            Assert.Equal(BackfillStatus.Completed, crashed.Status);
            Assert.Equal((Rows, uncrashed.Checksum, uncrashed.LastKey), (crashed.RowsCopied, crashed.Checksum, crashed.LastKey));
            Assert.Equal(Rows, uncrashed.RowsCopied);
            var expected = await source.RowsAsync("SELECT id, account, upper(label), amount, note FROM events ORDER BY id");
            var copied = await target.RowsAsync("SELECT event_id, account_id, label, amount, note FROM events_copy ORDER BY event_id");
            Assert.Equal(Rows, expected.Count);
            Assert.Equal(expected, copied);
            Assert.Equal(expected, await target.RowsAsync("SELECT event_id, account_id, label, amount, note FROM events_straight ORDER BY event_id"));
            output.WriteLine(string.Join(Environment.NewLine, log));
        }
        finally
        {
            cutover?.Dispose();
            await store.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Waits until the running process has checkpointed past <paramref name="rows"/>, so the next kill lands in a later batch.</summary>
    private static async Task<long> CheckpointPastAsync(IBackfillStore store, long rows, CutoverProcess cutover)
    {
        using var deadline = new CancellationTokenSource(ProcessTimeout);
        while (true)
        {
            if (await store.GetBackfillAsync("events") is { } record && record.RowsCopied > rows)
            {
                return record.RowsCopied;
            }

            Assert.False(cutover.HasExited, $"cutover exited before its checkpoint passed {rows} rows:\n{cutover.Output}");
            await Task.Delay(5, deadline.Token);
        }
    }

    private static async Task CreateTablesAsync(TestDatabase source, TestDatabase target)
    {
        await source.ExecuteAsync(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, account INTEGER NOT NULL, label TEXT NOT NULL, amount INTEGER NOT NULL, note TEXT)",
            "CREATE TABLE events (id bigint PRIMARY KEY, account integer NOT NULL, label text NOT NULL, amount bigint NOT NULL, note text)");
        const string Values = $"i, i % 97, 'event-' || i, i * 7919 % 1000003, CASE WHEN i % 7 = 0 THEN NULL ELSE 'note ' || (i * 13 % 1000) END";
        await source.ExecuteAsync(
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO events SELECT {Values} FROM n",
            $"INSERT INTO events SELECT {Values} FROM generate_series(1, {Rows}) AS i");
        foreach (var table in new[] { "events_copy", "events_straight" })
        {
            await target.ExecuteAsync(
                $"CREATE TABLE {table} (event_id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, label TEXT NOT NULL, amount INTEGER NOT NULL, note TEXT)",
                $"CREATE TABLE {table} (event_id bigint PRIMARY KEY, account_id integer NOT NULL, label text NOT NULL, amount bigint NOT NULL, note text)");
        }
    }

    private static string WriteJob(string folder, string name, string table, TestDatabase source, TestDatabase target, int rateLimit)
    {
        var path = Path.Combine(folder, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            source: {"{"} store: "{source.Location}", table: events, key: [id] {"}"}
            target: {"{"} store: "{target.Location}", table: {table} {"}"}
            columns: {"{"} event_id: id, account_id: account, label: upper(label), amount: amount, note: note {"}"}
            batchSize: 500
            rateLimit: {rateLimit}
            """);
        return path;
    }
}
