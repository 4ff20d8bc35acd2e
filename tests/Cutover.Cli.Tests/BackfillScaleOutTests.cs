using System.Globalization;
using System.Text.Json;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Cli.Invocation;
using Cutover.Store;
using Cutover.Store.Opening;
using Cutover.Testing;
using Microsoft.Data.Sqlite;

namespace Cutover.Cli.Tests;

/// <summary>
/// Scale-out on real processes sharing a PostgreSQL control store: a job split into key ranges
/// (<c>ranges: 12</c>) is started by <c>cutover backfill run</c> and joined by other
/// <c>cutover backfill join</c> processes; every range is copied once, a joiner killed with
/// SIGKILL mid-range has its range taken over, and the target always ends identical to a straight run.
/// </summary>
public sealed class BackfillScaleOutTests : IAsyncLifetime
{
    private const int Rows = 6_000;
    private const int Ranges = 12;

    /// <summary>Each worker's rows/s: a range of 500 rows takes half a second, so a run lasts seconds and joiners started a second in find ranges left.</summary>
    private const int RateLimit = 1000;
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    private TestDatabase _source = null!;
    private TestDatabase _target = null!;
    private TestPostgres _storeDatabase = null!;
    private IBackfillStore _store = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDatabase.CreateAsync("sqlite");
        _target = await TestDatabase.CreateAsync("postgres");
        _storeDatabase = await TestPostgres.CreateAsync();
        _store = ControlStoreFactory.CreateBackfillStore(_storeDatabase.Location, TimeProvider.System);
        await _store.InitializeAsync();
        _folder = Directory.CreateTempSubdirectory("cutover-backfill-scale-").FullName;
        await _source.ExecuteAsync("CREATE TABLE events (id INTEGER PRIMARY KEY, account INTEGER NOT NULL, label TEXT NOT NULL, note TEXT)");
        await _source.ExecuteAsync(
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) " +
            "INSERT INTO events SELECT i * 3, i % 97, 'event-' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'note ' || (i * 13 % 1000) END FROM n");
        foreach (var table in new[] { "events_copy", "events_straight" })
        {
            await _target.ExecuteAsync($"CREATE TABLE {table} (event_id bigint PRIMARY KEY, account_id integer NOT NULL, label text NOT NULL, note text)");
        }
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _storeDatabase.DisposeAsync();
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task RunAndTwoJoins_ShareTheRanges_EachCopiedOnceAndTheTargetIdenticalToAStraightRun()
    {
        using var run = CutoverProcess.Start("backfill", "run", "-f", WriteJob("events", "events_copy", RateLimit), "--store", _storeDatabase.Location);
        await SplitAsync(run);
        using var joinA = CutoverProcess.Start("backfill", "join", "events", "--store", _storeDatabase.Location);
        using var joinB = CutoverProcess.Start("backfill", "join", "events", "--store", _storeDatabase.Location);

        foreach (var process in new[] { run, joinA, joinB })
        {
            Assert.True(await process.ExitCodeAsync(ProcessTimeout) == ExitCodes.Ok, process.Output);
            Assert.Contains($"Backfill job 'events' completed: {Rows:N0} rows copied", process.Output, StringComparison.Ordinal);
        }

        var record = (await _store.GetBackfillAsync("events"))!;
        Assert.All(record.Ranges, r => Assert.Equal(BackfillRangeStatus.Done, r.Status));
        foreach (var range in record.Ranges)
        {
            Assert.Equal(await SourceRowsAsync(range), range.RowsCopied);
        }

        var workedBy = record.Ranges.Select(r => r.Holder!.Split(':')[1]).Distinct().ToList();
        Assert.True(workedBy.Count >= 2, $"only process {string.Join(", ", workedBy)} copied ranges:\n{run.Output}\n{joinA.Output}\n{joinB.Output}");
        await AssertIdenticalToAStraightRunAsync(record);

        var status = await CliRun.RunAsync("backfill", "status", "events", "--json", "--store", _storeDatabase.Location);
        using var json = JsonDocument.Parse(status.Out);
        var ranges = json.RootElement.GetProperty("ranges");
        Assert.Equal(Ranges, ranges.GetArrayLength());
        Assert.All(ranges.EnumerateArray(), r => Assert.Equal("done", r.GetProperty("status").GetString()));
        Assert.Equal(Rows, ranges.EnumerateArray().Sum(r => r.GetProperty("rowsCopied").GetInt64()));
        var table = await CliRun.RunWithWidthAsync(200, "backfill", "status", "events", "--store", _storeDatabase.Location);
        Assert.Contains($"events: {Ranges} key ranges ({Ranges} done):", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinKilledMidRange_ItsRangeIsTakenOverAndTheTargetEndsIdenticalToAStraightRun()
    {
        using var run = CutoverProcess.Start("backfill", "run", "-f", WriteJob("events", "events_copy", RateLimit), "--store", _storeDatabase.Location);
        await SplitAsync(run);
        using var join = CutoverProcess.Start("backfill", "join", "events", "--store", _storeDatabase.Location);
        var killedRange = await HeldMidRangeAsync(join, run);

        await join.KillAsync();

        Assert.True(await run.ExitCodeAsync(ProcessTimeout) == ExitCodes.Ok, run.Output);
        var record = (await _store.GetBackfillAsync("events"))!;
        var takenOver = record.Ranges[killedRange];
        Assert.Equal(BackfillRangeStatus.Done, takenOver.Status);
        Assert.Equal(run.Id.ToString(CultureInfo.InvariantCulture), takenOver.Holder!.Split(':')[1]);
        Assert.Equal(await SourceRowsAsync(takenOver), takenOver.RowsCopied);
        await AssertIdenticalToAStraightRunAsync(record);
    }

    [Fact]
    public async Task BadScaleOutInput_GetsClearErrors()
    {
        var workers = await CliRun.RunAsync("backfill", "run", "-f", WriteJob("events", "events_copy", 0), "--workers", "0", "--store", _storeDatabase.Location);
        Assert.Equal(ExitCodes.BadInput, workers.ExitCode);
        Assert.Contains("--workers must be from 1 to 64, not 0", workers.Error, StringComparison.Ordinal);

        var unsplit = WriteJob("events-unsplit", "events_copy", 0, ranges: 1);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("backfill", "run", "-f", unsplit, "--store", _storeDatabase.Location)).ExitCode);
        var join = await CliRun.RunAsync("backfill", "join", "events-unsplit", "--store", _storeDatabase.Location);
        Assert.Equal(ExitCodes.Failed, join.ExitCode);
        Assert.Contains("error: Backfill job 'events-unsplit' is not split into key ranges, so another process cannot join it. Add e.g. 'ranges: 8'", join.Error, StringComparison.Ordinal);

        var many = await CliRun.RunAsync("backfill", "run", "-f", unsplit, "--workers", "3", "--store", _storeDatabase.Location);
        Assert.Equal(ExitCodes.Failed, many.ExitCode);
        Assert.Contains("error: Backfill job 'events-unsplit' is not split into key ranges, so 3 workers cannot share it. Add e.g. 'ranges: 12' to its job file", many.Error, StringComparison.Ordinal);
    }

    /// <summary>Waits until the run has split the job, so joiners find ranges to claim.</summary>
    private async Task SplitAsync(CutoverProcess run)
    {
        using var deadline = new CancellationTokenSource(ProcessTimeout);
        while ((await _store.GetBackfillAsync("events", deadline.Token))?.Ranges is not { Count: Ranges })
        {
            Assert.False(run.HasExited, $"the run ended before splitting the job:\n{run.Output}");
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Waits until <paramref name="worker"/> holds a range it has copied part of, and returns that range's index.</summary>
    private async Task<int> HeldMidRangeAsync(CutoverProcess worker, CutoverProcess other)
    {
        var pid = worker.Id.ToString(CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(ProcessTimeout);
        while (true)
        {
            var ranges = await _store.GetBackfillRangesAsync("events", deadline.Token);
            if (ranges.FirstOrDefault(r => r is { Status: BackfillRangeStatus.Running, RowsCopied: > 0 } && r.Holder!.Split(':')[1] == pid) is { } held)
            {
                return held.Index;
            }

            Assert.False(worker.HasExited || other.HasExited, $"a process ended before the joiner was mid-range:\n{worker.Output}\n{other.Output}");
            await Task.Delay(10, deadline.Token);
        }
    }

    private async Task<long> SourceRowsAsync(BackfillRange range)
    {
        var after = range.After is null ? long.MinValue : long.Parse(JsonSerializer.Deserialize<string[][]>(range.After)![0][1], CultureInfo.InvariantCulture);
        var upTo = range.UpTo is null ? long.MaxValue : long.Parse(JsonSerializer.Deserialize<string[][]>(range.UpTo)![0][1], CultureInfo.InvariantCulture);
        return long.Parse((await _source.RowsAsync($"SELECT COUNT(*) FROM events WHERE id > {after} AND id <= {upTo}"))[0], CultureInfo.InvariantCulture);
    }

    private async Task AssertIdenticalToAStraightRunAsync(BackfillRecord split)
    {
        var straight = await CliRun.RunAsync("backfill", "run", "-f", WriteJob("events-straight", "events_straight", 0, ranges: 1), "--store", _storeDatabase.Location);
        Assert.Equal(ExitCodes.Ok, straight.ExitCode);
        var uncrashed = (await _store.GetBackfillAsync("events-straight"))!;
        Assert.Equal((BackfillStatus.Completed, Rows, uncrashed.Checksum, uncrashed.LastKey), (split.Status, split.RowsCopied, split.Checksum, split.LastKey));
        var expected = await _source.RowsAsync("SELECT id, account, upper(label), note FROM events ORDER BY id");
        Assert.Equal(Rows, expected.Count);
        Assert.Equal(expected, await _target.RowsAsync("SELECT event_id, account_id, label, note FROM events_copy ORDER BY event_id"));
        Assert.Equal(expected, await _target.RowsAsync("SELECT event_id, account_id, label, note FROM events_straight ORDER BY event_id"));
    }

    private string WriteJob(string name, string table, int rateLimit, int ranges = Ranges)
    {
        var path = Path.Combine(_folder, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            source: {"{"} store: "{_source.Location}", table: events, key: [id] {"}"}
            target: {"{"} store: "{_target.Location}", table: {table} {"}"}
            columns: {"{"} event_id: id, account_id: account, label: upper(label), note: note {"}"}
            batchSize: 100
            rateLimit: {rateLimit}
            ranges: {ranges}
            """);
        return path;
    }
}
