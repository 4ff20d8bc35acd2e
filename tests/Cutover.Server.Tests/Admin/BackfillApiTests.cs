using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Verifying;
using Cutover.Server.Settings;
using Cutover.Server.Tests.Infrastructure;
using Cutover.Store;
using Cutover.Store.Opening;
using Cutover.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Tests.Admin;

public sealed class BackfillApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private Backends _backends = null!;
    private ProxyUnderTest _proxy = null!;

    public async Task InitializeAsync()
    {
        _backends = await Backends.StartAsync();
        _proxy = await ProxyUnderTest.StartAsync(_backends.Migration());
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backends.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Backfills_JobRunAgainstTheSameStore_ShowsItsCheckpoint()
    {
        Assert.Empty((await _proxy.Admin.GetFromJsonAsync<List<BackfillView>>("/api/backfills"))!);
        var record = await RunJobAsync();

        var list = (await _proxy.Admin.GetFromJsonAsync<List<BackfillView>>("/api/backfills"))!;
        var one = (await _proxy.Admin.GetFromJsonAsync<BackfillView>("/api/backfills/events"))!;

        var job = Assert.Single(list);
        Assert.Equal(("events", "completed", 10L), (job.Name, job.Status, job.RowsCopied));
        Assert.Equal("10", Assert.Single(job.LastKey!));
        Assert.Equal(record.Checksum, job.Checksum);
        Assert.Equal((record.StartedAt, record.UpdatedAt), (job.StartedAt, job.UpdatedAt));
        Assert.Null(job.LastError);
        Assert.Equal("events_copy__cutover_backup_events", job.Backup);
        Assert.Equal("7", job.HighWater);
        Assert.Equal(0, job.Skipped.Total);
        Assert.Empty(job.Ranges);
        Assert.Equal(JsonSerializer.Serialize(job), JsonSerializer.Serialize(one));
    }

    [Fact]
    public async Task Backfill_RunBackingOffOnItsHealthQuery_ShowsTheBackoffUntilTheTargetIsHealthy()
    {
        var time = new ManualTime();
        await ExecuteAsync(Path.Combine(_proxy.Folder, "new.db"), "CREATE TABLE replication (lag_seconds REAL NOT NULL)", "INSERT INTO replication VALUES (42)");
        var run = RunJobAsync(time, "throttle: { healthQuery: \"SELECT lag_seconds FROM replication\", healthMax: 10, backoff: 1s }");
        BackfillView? backingOff = null;
        for (var tries = 0; backingOff?.Backoff is null && tries < 1000; tries++)
        {
            await Task.Delay(10);
            using var response = await _proxy.Admin.GetAsync("/api/backfills/events");
            backingOff = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<BackfillView>() : null;
        }

        await ExecuteAsync(Path.Combine(_proxy.Folder, "new.db"), "UPDATE replication SET lag_seconds = 3");
        time.Advance(TimeSpan.FromSeconds(1));
        await run;
        var done = (await _proxy.Admin.GetFromJsonAsync<BackfillView>("/api/backfills/events"))!;

        Assert.Equal("running", backingOff!.Status);
        Assert.Equal("backing off: the health query returned 42, over 10; waiting 1s", backingOff.Throttle);
        Assert.Equal(new BackfillBackoff("the health query returned 42, over 10", ManualTime.DefaultStart, 1), backingOff.Backoff);
        Assert.Equal(("completed", "none"), (done.Status, done.Throttle));
        Assert.Null(done.Backoff);
    }

    [Fact]
    public async Task Backfill_SplitJob_ShowsEachRangesStateRowsAndHolder()
    {
        var record = await RunJobAsync(more: "ranges: 3");

        var job = (await _proxy.Admin.GetFromJsonAsync<BackfillView>("/api/backfills/events"))!;

        Assert.Equal((10L, record.Checksum), (job.RowsCopied, job.Checksum));
        Assert.Equal([(1, "done", 4L), (2, "done", 4L), (3, "done", 2L)], job.Ranges.Select(r => (r.Index, r.Status, r.RowsCopied)));
        Assert.Equal([null, ["4"], ["8"]], job.Ranges.Select(r => r.After));
        Assert.Equal([["4"], ["8"], null], job.Ranges.Select(r => r.UpTo));
        Assert.All(job.Ranges, r => Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}:", r.Holder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backfill_VerifiedJob_ShowsTheLastVerifyWithItsCountsAndFirstDifferingKeys()
    {
        await RunJobAsync();
        var unverified = (await _proxy.Admin.GetFromJsonAsync<BackfillView>("/api/backfills/events"))!;
        await ExecuteAsync(Path.Combine(_proxy.Folder, "new.db"), "DELETE FROM events_copy WHERE id = 3", "UPDATE events_copy SET kind = 'changed' WHERE id = 5");
        await using (var store = ControlStoreFactory.CreateBackfillStore(_proxy.Store, TimeProvider.System))
        {
            await new BackfillVerifier(store, TimeProvider.System).VerifyAsync("events", repair: false);
        }

        var list = (await _proxy.Admin.GetFromJsonAsync<List<BackfillView>>("/api/backfills", ApiJson))!;
        var json = await _proxy.Admin.GetFromJsonAsync<JsonElement>("/api/backfills/events");

        Assert.Null(unverified.LastVerify);
        var verify = Assert.Single(list).LastVerify!;
        Assert.Equal((false, false, "completed"), (verify.Identical, verify.Repaired, verify.JobStatus));
        Assert.Equal((10L, 9L, 1L, 0L, 1L, 2L), (verify.SourceRows, verify.TargetRows, verify.Missing, verify.Extra, verify.Different, verify.Remaining));
        Assert.Equal(["missing (3) ", "different (5) kind"], verify.FirstDifferences.Select(d => $"{d.Kind.ToString().ToLowerInvariant()} {d.Key} {string.Join(",", d.Columns)}"));
        Assert.InRange(verify.At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("missing", json.GetProperty("lastVerify").GetProperty("firstDifferences")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Backfill_RunningJobNotSplit_ShowsTheSourceRowsCountedAtItsStartAndTheTimeLeft()
    {
        var run = RunJobAsync(more: "rateLimit: 2");
        BackfillView? running = null;
        for (var tries = 0; running is not { Status: "running", RowsCopied: > 0 } && tries < 500; tries++)
        {
            await Task.Delay(10);
            using var response = await _proxy.Admin.GetAsync("/api/backfills/events");
            running = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<BackfillView>() : null;
        }

        await run;
        var done = (await _proxy.Admin.GetFromJsonAsync<BackfillView>("/api/backfills/events"))!;

        Assert.Equal(("running", 10L), (running!.Status, running.SourceRows));
        Assert.InRange(running.TimeLeftSeconds!.Value, 0, 60);
        Assert.Equal(("completed", 10L, null), (done.Status, done.SourceRows, done.TimeLeftSeconds));
    }

    [Fact]
    public async Task Backfill_UnknownJob_Is404ProblemNamingIt()
    {
        await RunJobAsync();

        using var response = await _proxy.Admin.GetAsync("/api/backfills/orders");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unknown backfill job", problem.GetProperty("title").GetString());
        Assert.StartsWith($"There is no backfill job 'orders' in {_proxy.Store}. List the jobs with GET /api/backfills", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfills_StoreThatKeepsNoJobs_Is501ProblemSayingWhichStoresDo()
    {
        var folder = Directory.CreateTempSubdirectory("cutover-backfill-api-").FullName;
        await using (var store = new FailingStore(ControlStoreFactory.Create($"sqlite:{Path.Combine(folder, "plain.db")}", TimeProvider.System)))
        await using (var proxy = await ProxyUnderTest.StartAsync(_backends.Migration(), options: new CutoverHostOptions { LogLevel = LogLevel.Critical, Store = store }))
        {
            using var response = await proxy.Admin.GetAsync("/api/backfills");

            Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.EndsWith("does not keep backfill jobs; run Cutover on a SQLite or PostgreSQL store to see them here.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// Copies a 10-row SQLite table into another SQLite file with a real backfill run, checkpointed
    /// in the store the proxy runs on, as <c>cutover backfill run --store</c> would, on
    /// <paramref name="time"/> and with <paramref name="more"/> added to the job file.
    /// </summary>
    private async Task<BackfillRecord> RunJobAsync(TimeProvider? time = null, string more = "")
    {
        var source = Path.Combine(_proxy.Folder, "legacy.db");
        var target = Path.Combine(_proxy.Folder, "new.db");
        await ExecuteAsync(source,
            "CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL)",
            "INSERT INTO events (id, kind, version) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i, 'kind' || i, i % 8 FROM n");
        await ExecuteAsync(target, "CREATE TABLE events_copy (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)");
        var job = BackfillJobFile.Parse($"""
            name: events
            source:
              store: "sqlite:{source}"
              table: events
              key: [id]
            target:
              store: "sqlite:{target}"
              table: events_copy
            columns:
              id: id
              kind: kind
            batchSize: 4
            changeColumn: version
            {more}
            """, "job.yaml");
        await using var store = ControlStoreFactory.CreateBackfillStore(_proxy.Store, time ?? TimeProvider.System);
        return await new BackfillRunner(store, time ?? TimeProvider.System).RunAsync(job, restart: false);
    }

    private static async Task ExecuteAsync(string path, params string[] statements)
    {
        await using var connection = new SqliteConnection("Data Source=" + path);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
