using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Store;

namespace Cutover.Backfill.Tests.Schema;

public sealed class SchemaCheckTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RunAsync_JobThatDoesNotFit_NamesEveryMismatchAndCopiesNothing(string engine)
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", engine);
        await scenario.Target.ExecuteAsync(
            "CREATE TABLE accounts (account_id INTEGER NOT NULL, tenant_id INTEGER NOT NULL, owner TEXT NOT NULL, score INTEGER, region TEXT NOT NULL)",
            "CREATE TABLE accounts (account_id bigint NOT NULL, tenant_id integer NOT NULL, owner text NOT NULL, score integer, region text NOT NULL)");
        var job = BackfillJobFile.Parse($"""
            name: accounts
            source: {"{"} store: "{scenario.Source.Location}", table: customers, key: [tenant, id] {"}"}
            target: {"{"} store: "{scenario.Target.Location}", table: accounts {"}"}
            columns:
              tenant_id: tenant
              account_id: id
              owner: "first_name ||| last_name"
              score: last_name
              nickname: first_name
              created: created_at
            changeColumn: changed_at
            """, "job.yaml");

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => scenario.Runner().RunAsync(job, restart: false));

        var target = scenario.Target.Location;
        var source = scenario.Source.Location;
        Assert.Collection(
            error.Mismatches,
            m => Assert.StartsWith($"changeColumn: column 'changed_at' does not exist in source table 'customers' of {source}; its columns are", m, StringComparison.Ordinal),
            m => Assert.StartsWith("columns.owner: the expression \"first_name ||| last_name\" fails on " + source + ":", m, StringComparison.Ordinal),
            m => Assert.StartsWith($"columns.created: source column 'created_at' does not exist in source table 'customers' of {source}; its columns are tenant, id, first_name, last_name, email, active, updated_at.", m, StringComparison.Ordinal),
            m => Assert.Equal(
                $"columns.score: source column 'last_name' (TEXT) cannot be copied into target column 'score' ({(scenario.Target.IsSqlite ? "INTEGER" : "integer")}); convert it with an SQL expression, e.g. \"score: CAST(last_name AS ...)\".", m),
            m => Assert.StartsWith($"columns.nickname: target column 'nickname' does not exist in table 'accounts' of {target}; its columns are account_id, tenant_id, owner, score, region.", m, StringComparison.Ordinal),
            m => Assert.StartsWith($"columns.created: target column 'created' does not exist in table 'accounts' of {target};", m, StringComparison.Ordinal),
            m => Assert.Equal("columns: target column 'region' is NOT NULL without a default and gets no value; map it, e.g. 'region: SOURCE_COLUMN'.", m));
        Assert.StartsWith("The backfill job 'accounts' does not fit its databases; nothing was copied. 7 problems:", error.Message, StringComparison.Ordinal);
        Assert.Null(await scenario.Store.GetBackfillAsync("accounts"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RunAsync_TargetWithoutUniqueKeyOnTheKey_SaysTheUpsertNeedsOne(string engine)
    {
        await using var scenario = await CustomersScenario.CreateAsync(engine, engine);
        await scenario.Target.ExecuteAsync("CREATE TABLE loose (tenant_id INTEGER NOT NULL, client_id INTEGER NOT NULL UNIQUE)");
        var job = BackfillJobFile.Parse($"""
            name: loose
            source: {"{"} store: "{scenario.Source.Location}", table: customers, key: [tenant, id] {"}"}
            target: {"{"} store: "{scenario.Target.Location}", table: loose {"}"}
            columns: {"{"} tenant_id: tenant, client_id: id {"}"}
            """, "job.yaml");

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => scenario.Runner().RunAsync(job, restart: false));

        Assert.Equal(
            "target.table: table 'loose' has no primary key or unique constraint on (tenant_id, client_id), which the upsert needs to find rows copied before (its unique keys are (client_id)); " +
            "add one, e.g. CREATE UNIQUE INDEX ON loose (tenant_id, client_id), or choose source.key to match an existing one.",
            Assert.Single(error.Mismatches));
    }

    [Fact]
    public async Task RunAsync_MissingTablesAndBadQuery_NamedWithTheirDatabase()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        var missing = BackfillJobFile.Parse($"""
            name: missing
            source: {"{"} store: "{scenario.Source.Location}", table: people, key: [id] {"}"}
            target: {"{"} store: "{scenario.Target.Location}", table: humans {"}"}
            columns: {"{"} id: id {"}"}
            """, "job.yaml");
        var query = BackfillJobFile.Parse($"""
            name: query
            source: {"{"} store: "{scenario.Source.Location}", query: "SELECT id FROM nowhere", key: [id] {"}"}
            target: {"{"} store: "{scenario.Target.Location}", table: clients {"}"}
            columns: {"{"} client_id: id {"}"}
            """, "job.yaml");

        var tables = await Assert.ThrowsAsync<SchemaMismatchException>(() => scenario.Runner().RunAsync(missing, restart: false));
        var bad = await Assert.ThrowsAsync<SchemaMismatchException>(() => scenario.Runner().RunAsync(query, restart: false));

        Assert.Equal(
            [
                $"source.table: table 'people' does not exist in {scenario.Source.Location}; check the name, or use source.query.",
                $"target.table: table 'humans' does not exist in {scenario.Target.Location}; create it first (the backfill writes into an existing table).",
            ],
            tables.Mismatches);
        Assert.StartsWith($"source.query: the query fails on {scenario.Source.Location}: SQLite Error 1: 'no such table: nowhere'", bad.Mismatches[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_QuerySource_CopiesTheQueryResult()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var job = BackfillJobFile.Parse($"""
            name: active
            source: {"{"} store: "{scenario.Source.Location}", query: "SELECT tenant AS t, id, first_name, email FROM customers WHERE active", key: [t, id] {"}"}
            target: {"{"} store: "{scenario.Target.Location}", table: clients {"}"}
            columns: {"{"} tenant_id: t, client_id: id, full_name: "upper(first_name)", email: email, active: 1 {"}"}
            batchSize: 5
            """, "job.yaml");

        var record = await scenario.Runner().RunAsync(job, restart: false);

        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(12, record.RowsCopied);
        Assert.Contains("1|82|FIRST18|c18@example.com|1", await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task RunAsync_UnreachableDatabases_NameTheDatabaseAndWhatToCheck()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var job = BackfillJobFile.Parse($"""
            name: nowhere
            source: {"{"} store: "sqlite:/nonexistent/legacy.db", table: customers, key: [id] {"}"}
            target: {"{"} store: "{scenario.Target.Location}", table: clients {"}"}
            columns: {"{"} client_id: id {"}"}
            """, "job.yaml");

        var error = await Assert.ThrowsAsync<Cutover.Backfill.Databases.BackfillDatabaseException>(() => scenario.Runner().RunAsync(job, restart: false));

        Assert.StartsWith("The source database sqlite:/nonexistent/legacy.db cannot be used: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check that the file /nonexistent/legacy.db exists and is a SQLite database (a relative path is taken from the current folder).", error.Message, StringComparison.Ordinal);
        Assert.Null(await scenario.Store.GetBackfillAsync("nowhere"));
    }
}
