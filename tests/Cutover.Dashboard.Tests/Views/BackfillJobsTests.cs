using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Verifying;
using Cutover.Dashboard.Tests.Infrastructure;
using Cutover.Store.Opening;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Cutover.Dashboard.Tests.Views;

/// <summary>The backfill jobs view in Chromium, on a real split copy between two SQLite files checkpointed in Cutover's store.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BackfillJobsTests(Chromium chromium)
{
    [Fact]
    public async Task Jobs_ASplitCopyRunAgainstTheStore_ShowsWithoutAReload_WithItsRangesAndTheirHolders()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/b"));
        await Assertions.Expect(page.Locator(".jobs")).ToContainTextAsync("No backfill job has run against this store");

        await RunSplitJobAsync(host);

        var job = page.Locator("section[data-job='events']");
        await Assertions.Expect(job.Locator(".progress-text")).ToHaveTextAsync("completed: 10 rows");
        Assert.Equal(await job.Locator("progress").GetAttributeAsync("max"), await job.Locator("progress").GetAttributeAsync("value"));
        await Assertions.Expect(job.Locator("dd[data-field='throttle']")).ToHaveTextAsync("none");
        await Assertions.Expect(job.Locator("tr[data-range]")).ToHaveCountAsync(3);
        for (var range = 1; range <= 3; range++)
        {
            await Assertions.Expect(job.Locator($"tr[data-range='{range}'] .status")).ToHaveTextAsync("done");
            await Assertions.Expect(job.Locator($"tr[data-range='{range}'] .holder")).ToContainTextAsync($"{Environment.MachineName}:{Environment.ProcessId}:");
        }

        await Screenshots.SaveAsync(page, "backfills-1280");
    }

    [Fact]
    public async Task Jobs_AVerifyThatFindsDifferences_ShowsItsCountsAndFirstKeys_ThenTheCleanRepair_WithoutAReload()
    {
        await using var host = await DashboardHost.StartAsync();
        await RunSplitJobAsync(host, ranges: 1);
        var page = await chromium.OpenAsync(new Uri(host.Dashboard, "#/b"));
        var job = page.Locator("section[data-job='events']");
        await Assertions.Expect(job.Locator(".verify")).ToContainTextAsync("Never verified: `cutover backfill verify events` compares the target with the source.");

        await ExecuteAsync(Path.Combine(host.Folder, "new.db"), "DELETE FROM events_copy WHERE id = 3", "UPDATE events_copy SET kind = 'changed' WHERE id = 5");
        await VerifyAsync(host, repair: false);

        await Assertions.Expect(job.Locator(".verify .outcome")).ToHaveTextAsync("≠ 2 rows differ: 1 missing, 0 extra, 1 different, of 10 source rows");
        await Assertions.Expect(job.Locator(".verify .differences li")).ToHaveTextAsync(["missing (3)", "different (5): kind"]);
        await Assertions.Expect(job.Locator(".verify h3")).ToContainTextAsync("job completed");
        await Screenshots.SaveAsync(page, "backfill-verify-1280");

        await VerifyAsync(host, repair: true);

        await Assertions.Expect(job.Locator(".verify .outcome")).ToHaveTextAsync("✓ 2 rows differed: 1 missing, 0 extra, 1 different, of 10 source rows");
        await Assertions.Expect(job.Locator(".verify .repair")).ToHaveTextAsync("Repaired: 10 rows copied again, 0 deleted, 0 still differ.");
        await VerifyAsync(host, repair: false);
        await Assertions.Expect(job.Locator(".verify .outcome")).ToHaveTextAsync("✓ Clean: 10 source rows, 10 target rows");
        await Assertions.Expect(job.Locator(".verify .differences")).ToHaveCountAsync(0);
    }

    private static async Task VerifyAsync(DashboardHost host, bool repair)
    {
        await using var store = ControlStoreFactory.CreateBackfillStore(host.Store, TimeProvider.System);
        await new BackfillVerifier(store, TimeProvider.System).VerifyAsync("events", repair);
    }

    /// <summary>Copies a 10-row SQLite table into another in three key ranges with a real backfill run, checkpointed in the store Cutover runs on, as <c>cutover backfill run --store</c> would.</summary>
    private static async Task RunSplitJobAsync(DashboardHost host, int ranges = 3)
    {
        var source = Path.Combine(host.Folder, "legacy.db");
        var target = Path.Combine(host.Folder, "new.db");
        await ExecuteAsync(source,
            "CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)",
            "INSERT INTO events (id, kind) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i, 'kind' || i FROM n");
        await ExecuteAsync(target, "CREATE TABLE events_copy (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)");
        var job = BackfillJobFile.Parse($"""
            name: events
            source: {"{"} store: "sqlite:{source}", table: events, key: [id] {"}"}
            target: {"{"} store: "sqlite:{target}", table: events_copy {"}"}
            columns: {"{"} id: id, kind: kind {"}"}
            batchSize: 4
            ranges: {ranges}
            """, "job.yaml");
        await using var store = ControlStoreFactory.CreateBackfillStore(host.Store, TimeProvider.System);
        await new BackfillRunner(store, TimeProvider.System).RunAsync(job, restart: false);
    }

    private static async Task ExecuteAsync(string file, params string[] statements)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
