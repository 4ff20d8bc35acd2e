using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Cli.Invocation;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.Data.Sqlite;

namespace Cutover.Cli.Tests;

/// <summary>
/// A real <c>cutover backfill run</c> stopped by a signal: it must record <c>stopped</c> at a
/// checkpoint that matches the target, say where it stopped and how to continue, and exit 1, rather
/// than die with 130/143, silent, leaving the job <c>running</c> for good.
/// </summary>
public sealed class BackfillStopTests
{
    // At the rate limit below the run takes a minute, so the signal lands mid-run even when a busy machine starts the process and polls the store slowly.
    private const int Rows = 60_000;
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("INT", 1)]
    [InlineData("TERM", 1)]
    [InlineData("INT", 2)]
    public async Task Run_StoppedBySignal_RecordsStoppedAtItsCheckpointSaysSoAndExits1(string signal, int signals)
    {
        await using var source = await TestDatabase.CreateAsync("sqlite");
        await using var target = await TestDatabase.CreateAsync("sqlite");
        var folder = Directory.CreateTempSubdirectory("cutover-backfill-stop-").FullName;
        var storeLocation = "sqlite:" + Path.Combine(folder, "cutover.db");
        var store = ControlStoreFactory.CreateBackfillStore(storeLocation, TimeProvider.System);
        CutoverProcess? cutover = null;
        try
        {
            await source.ExecuteAsync(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, label TEXT NOT NULL)",
                "CREATE TABLE events (id bigint PRIMARY KEY, label text NOT NULL)");
            await source.ExecuteAsync(
                $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO events SELECT i, 'event-' || i FROM n",
                $"INSERT INTO events SELECT i, 'event-' || i FROM generate_series(1, {Rows}) AS i");
            await target.ExecuteAsync(
                "CREATE TABLE events_copy (id INTEGER PRIMARY KEY, label TEXT NOT NULL)",
                "CREATE TABLE events_copy (id bigint PRIMARY KEY, label text NOT NULL)");
            await store.InitializeAsync();
            var job = Path.Combine(folder, "events.yaml");
            await File.WriteAllTextAsync(job, $"""
                name: events
                source: {"{"} store: "{source.Location}", table: events, key: [id] {"}"}
                target: {"{"} store: "{target.Location}", table: events_copy {"}"}
                columns: {"{"} id: id, label: label {"}"}
                batchSize: 100
                rateLimit: 1000
                """);

            cutover = CutoverProcess.Start("backfill", "run", "-f", job, "--store", storeLocation);
            await CheckpointAsync(store, cutover);
            for (var i = 0; i < signals; i++)
            {
                await (signal == "INT" ? cutover.InterruptAsync() : cutover.TerminateAsync());
            }

            var exitCode = await cutover.ExitCodeAsync(ProcessTimeout);

            Assert.True(exitCode == ExitCodes.Failed, $"exit code {exitCode}:\n{cutover.Output}");
            var stopped = (await store.GetBackfillAsync("events"))!;
            Assert.Equal(BackfillStatus.Stopped, stopped.Status);
            Assert.InRange(stopped.RowsCopied, 100, Rows - 100);
            Assert.Equal(stopped.RowsCopied.ToString(System.Globalization.CultureInfo.InvariantCulture), (await target.RowsAsync("SELECT COUNT(*) FROM events_copy"))[0]);
            Assert.Contains("Stopping backfill job 'events' after its current batch; press Ctrl+C again to stop at once", cutover.Output, StringComparison.Ordinal);
            Assert.Contains(
                $"error: Backfill job 'events' stopped after {stopped.RowsCopied:N0} rows at its last checkpoint; run `cutover backfill resume events` to continue.",
                cutover.Output,
                StringComparison.Ordinal);
        }
        finally
        {
            cutover?.Dispose();
            await store.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Waits until the run has checkpointed a batch, so the signal lands mid-run.</summary>
    private static async Task CheckpointAsync(IBackfillStore store, CutoverProcess cutover)
    {
        using var deadline = new CancellationTokenSource(ProcessTimeout);
        while (await store.GetBackfillAsync("events", deadline.Token) is not { RowsCopied: > 0 })
        {
            Assert.False(cutover.HasExited, $"cutover exited before its first checkpoint:\n{cutover.Output}");
            await Task.Delay(5, deadline.Token);
        }
    }
}
