using Cutover.Backfill.Jobs;
using Cutover.Backfill.Throttling;
using Cutover.Core.Configuration;
using Cutover.Core.Values;

namespace Cutover.Backfill.Tests.Jobs;

public sealed class BackfillJobFileTests
{
    [Fact]
    public void Parse_FullJob_ReadsEveryFieldAndDefaults()
    {
        var job = BackfillJobFile.Parse("""
            name: customers
            source: { store: "sqlite:legacy.db", table: customers, key: [tenant, id] }
            target: { store: "Host=127.0.0.1;Database=app;Username=app;Password=secret", table: clients }
            columns: { tenant_id: tenant, client_id: id, full_name: "first_name || ' ' || last_name" }
            changeColumn: updated_at
            catchUp: { maxLagRows: 50 }
            """, "job.yaml");

        Assert.Equal("customers", job.Name);
        Assert.Equal(StoreKind.Sqlite, job.Source.Kind);
        Assert.Equal(StoreKind.Postgres, job.Target.Kind);
        Assert.Equal("Host=127.0.0.1;Database=app;Username=app;Password=***", job.Target.Description);
        Assert.Equal(["tenant", "id"], job.Key);
        Assert.Equal([0, 1], job.KeyColumns);
        Assert.Equal(new ColumnMapping("full_name", "first_name || ' ' || last_name", IsColumn: false), job.Columns[2]);
        Assert.True(job.Columns[1].IsColumn);
        Assert.Equal(5000, job.BatchSize);
        Assert.Equal(0, job.RateLimit);
        Assert.Equal("updated_at", job.ChangeColumn);
        Assert.Equal(new CatchUpSettings(50, 10), job.CatchUp);
        Assert.Equal(TimeSpan.FromSeconds(5), job.CatchUp.Margin);
        Assert.Equal(RowErrorPolicy.Stop, job.OnError);
        Assert.Equal(DeletePolicy.Report, job.Deletes);
        Assert.Equal(new RetryPolicy(5, TimeSpan.FromSeconds(1)), job.Retries);
    }

    [Fact]
    public void Parse_Retries_ReadsAttemptsAndBackoffThatDoublesUpToTenSeconds()
    {
        var job = BackfillJobFile.Parse("""
            name: customers
            source: { store: "sqlite:legacy.db", table: customers, key: [id] }
            target: { store: "sqlite:new.db", table: clients }
            columns: { id: id }
            retries: { attempts: 8, backoff: 250ms }
            """, "job.yaml");

        Assert.Equal(new RetryPolicy(8, TimeSpan.FromMilliseconds(250)), job.Retries);
        Assert.Equal(
            [250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000],
            Enumerable.Range(1, 9).Select(a => job.Retries.WaitBefore(a).TotalMilliseconds));
    }

    [Fact]
    public void Parse_JobWithManyProblems_ReportsEveryOneWithItsLineAndFix()
    {
        var error = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse("""
            name: Customers
            source:
              store: "mysql://legacy"
              table: customers
              query: SELECT * FROM customers
              key: [id, tenant]
            target:
              store: "sqlite:new.db"
            columns:
              client_id: id
              "full name": name
            batchSize: 0
            rateLimit: fast
            onError: retry
            retries: { attempts: -1, backoff: soon }
            deletes: always
            bacthSize: 10
            """, "job.yaml"));

        Assert.Equal(
            [
                "job.yaml:1: name: 'Customers' is not a job name; use lower-case letters, digits and '-', e.g. 'customers-v2'",
                $"job.yaml:3: source.store: '{"mysql://legacy"}' is not a store; {StoreLocation.AllowedForms}",
                "job.yaml:5: source.query: is given with source.table; keep one: a table to copy, or a SELECT whose result is copied",
                "job.yaml:6: source.key: 'tenant' is not copied to any target column; add e.g. 'tenant: tenant' to columns: the upsert finds existing target rows by the key",
                "job.yaml:8: target.table: is missing; name the table rows are written to, e.g. 'table: clients'",
                "job.yaml:11: columns.full name: 'full name' is not a target column name; use letters, digits and '_'",
                "job.yaml:12: batchSize: '0' is not a whole number between 1 and 1000000; the default is 5000",
                "job.yaml:13: rateLimit: 'fast' is not a rate; use rows per second (0 or more), where 0, the default, is unlimited",
                "job.yaml:14: onError: 'retry' is not a choice; use stop (the default) or skip",
                "job.yaml:15: retries.attempts: '-1' is not a whole number between 0 and 100; the default is 5",
                $"job.yaml:15: retries.backoff: 'soon' is not a wait between 1ms and 10s; use {Duration.AllowedForms} (the default is 1s, doubled before each next retry)",
                "job.yaml:16: deletes: 'always' is not a choice; use report (the default: verify lists target rows the source no longer has) or apply (verify --repair deletes them)",
                "job.yaml:17: bacthSize: unknown key; did you mean 'batchSize'? Allowed keys here: name, source, target, columns, batchSize, rateLimit, changeColumn, catchUp, onError, retries, throttle, transform, deletes, ranges, onConflict",
            ],
            error.Errors.Select(e => e.ToString()).OrderBy(e => int.Parse(e.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.StartsWith("13 problems in the backfill job job.yaml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeletesApply_InAnyCase_IsRead()
    {
        var job = BackfillJobFile.Parse("""
            name: customers
            source: { store: "sqlite:legacy.db", table: customers, key: [id] }
            target: { store: "sqlite:new.db", table: clients }
            columns: { id: id }
            deletes: Apply
            """, "job.yaml");

        Assert.Equal(DeletePolicy.Apply, job.Deletes);
    }

    [Fact]
    public void Parse_CatchUpWithoutChangeColumnOrWithBadNumbers_NamesEachProblem()
    {
        var error = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse("""
            name: customers
            source: { store: "sqlite:legacy.db", table: customers, key: [id] }
            target: { store: "sqlite:new.db", table: clients }
            columns: { id: id }
            catchUp:
              maxLagRows: 0
              maxPasses: many
              maxLagRow: 3
              margin: -5s
            """, "job.yaml"));

        Assert.Equal(
            [
                "job.yaml:6: catchUp.maxLagRows: '0' is not a whole number between 1 and 2147483647; the default is 100",
                "job.yaml:6: catchUp: is set but the job has no changeColumn; catch-up copies the rows whose change column moved, so add e.g. 'changeColumn: updated_at'",
                "job.yaml:7: catchUp.maxPasses: 'many' is not a whole number between 1 and 1000; the default is 10",
                "job.yaml:8: catchUp.maxLagRow: unknown key; did you mean 'maxLagRows'? Allowed keys here: maxLagRows, maxPasses, margin",
                "job.yaml:9: catchUp.margin: '-5s' is not a duration between 0s and 1h; use a number with a unit: ms, s, m or h, e.g. 500ms, 30s, 5m, 1h30m (the default is 5s; 0s reads no row below the high-water mark, for a change column that grows on every write)",
            ],
            error.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_ThrottleWithBadValues_NamesEachProblemWithItsLine()
    {
        var error = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse("""
            name: customers
            source: { store: "sqlite:legacy.db", table: customers, key: [id] }
            target: { store: "sqlite:new.db", table: clients }
            columns: { id: id }
            throttle:
              maxWriteLatency: slow
              healthMax: lots
              checkEvery: 0s
              backoff: 1m
              backof: 2s
            """, "job.yaml"));

        Assert.Equal(
            [
                $"job.yaml:10: throttle.backof: unknown key; did you mean 'backoff'? Allowed keys here: maxWriteLatency, healthQuery, healthMax, checkEvery, backoff",
                $"job.yaml:6: throttle.maxWriteLatency: 'slow' is not a duration between 1ms and 1h; use {Duration.AllowedForms}",
                "job.yaml:7: throttle.healthMax: 'lots' is not a number; give the highest healthy value the health query may return, e.g. 10",
                $"job.yaml:8: throttle.checkEvery: '0s' is not a duration between 1ms and 1h; use {Duration.AllowedForms} (the default is 5s)",
                $"job.yaml:9: throttle.backoff: '1m' is not a duration between 1ms and 10s; use {Duration.AllowedForms} (the default is 1s)",
            ],
            error.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_ThrottleWatchingNothingOrHalfAHealthCheck_SaysWhatToAdd()
    {
        var nothing = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse(Throttled("throttle: { backoff: 2s }"), "job.yaml"));
        var noMax = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse(Throttled("throttle: { healthQuery: \"SELECT 1\" }"), "job.yaml"));
        var noQuery = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse(Throttled("throttle: { maxWriteLatency: 200ms, healthMax: 3 }"), "job.yaml"));
        var job = BackfillJobFile.Parse(Throttled("throttle: { maxWriteLatency: 200ms, healthQuery: \"SELECT 1\", healthMax: 10, checkEvery: 2s }"), "job.yaml");

        Assert.Equal("job.yaml:5: throttle: watches nothing; add maxWriteLatency (e.g. 200ms), or healthQuery with healthMax", Assert.Single(nothing.Errors).ToString());
        Assert.Equal("job.yaml:5: throttle.healthQuery: has no throttle.healthMax; add the highest healthy value it may return, e.g. 'healthMax: 10'", Assert.Single(noMax.Errors).ToString());
        Assert.Equal("job.yaml:5: throttle.healthMax: is set without throttle.healthQuery; add the query whose result it bounds, or remove it", Assert.Single(noQuery.Errors).ToString());
        Assert.Equal(new ThrottleSettings(TimeSpan.FromMilliseconds(200), "SELECT 1", 10, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), job.Throttle);
    }

    private static string Throttled(string throttle) => $$"""
        name: customers
        source: { store: "sqlite:legacy.db", table: customers, key: [id] }
        target: { store: "sqlite:new.db", table: clients }
        columns: { id: id }
        {{throttle}}
        """;

    [Fact]
    public void Parse_MissingSections_NamesEachWithAnExample()
    {
        var error = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse("batchSize: 10", "job.yaml"));

        var messages = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("job.yaml: name: is missing; name the job", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("job.yaml: source: is missing; add e.g. 'source: { store: \"sqlite:legacy.db\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("job.yaml: target: is missing", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("job.yaml: columns: is missing or empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NotYaml_ReportsTheLine()
    {
        var error = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse("name: a\nsource: [\n", "job.yaml"));

        Assert.Contains("not valid YAML", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingFile_NamesTheFileAndTheFix()
    {
        var error = await Assert.ThrowsAsync<BackfillJobException>(() => BackfillJobFile.LoadAsync("/nonexistent/job.yaml"));

        Assert.Contains("/nonexistent/job.yaml: cannot be read", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the path given to -f", error.Message, StringComparison.Ordinal);
    }
}
