using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.Data.Sqlite;

namespace Cutover.Backfill.Tests.Infrastructure;

/// <summary>
/// The backfill tests' world: a legacy <c>customers</c> table with a composite key (tenant, id)
/// (and an <c>updated_at</c> version, 1 for every row, for catch-up) in a source database, an empty <c>clients</c> table of the new shape in a target database,
/// a control store in a temp folder, and the job that maps one onto the other.
/// </summary>
public sealed class CustomersScenario : IAsyncDisposable
{
    public const int Rows = 25;

    private readonly string _folder;

    private CustomersScenario(TestDatabase source, TestDatabase target, string folder, TimeProvider time)
    {
        Source = source;
        Target = target;
        _folder = folder;
        Time = time;
        StoreLocation = "sqlite:" + Path.Combine(folder, "cutover.db");
        Store = ControlStoreFactory.CreateBackfillStore(StoreLocation, time);
    }

    public TestDatabase Source { get; }

    public TestDatabase Target { get; }

    public TimeProvider Time { get; }

    public string StoreLocation { get; }

    public IBackfillStore Store { get; }

    /// <summary>The target's rows as they must be after a full copy, in key order.</summary>
    public static IReadOnlyList<string> ExpectedRows { get; } = [.. Customers().Select(c => $"{c.Tenant}|{c.Id}|{c.First} {c.Last}|{c.Email ?? "null"}|{(c.Active ? 1 : 0)}")];

    /// <summary>The mapped rows as the engine reads them, for the expected checksum.</summary>
    public static IReadOnlyList<object?[]> ExpectedMapped { get; } = [.. Customers().Select(c => new object?[] { (long)c.Tenant, (long)c.Id, $"{c.First} {c.Last}", c.Email, c.Active })];

    /// <summary>The checksum of a full copy.</summary>
    public static string ExpectedChecksum()
    {
        var checksum = new RowChecksum();
        foreach (var row in ExpectedMapped)
        {
            checksum.Add(row);
        }

        return checksum.Value;
    }

    public static async Task<CustomersScenario> CreateAsync(string sourceEngine, string targetEngine, TimeProvider? time = null)
    {
        var source = await TestDatabase.CreateAsync(sourceEngine);
        var target = await TestDatabase.CreateAsync(targetEngine);
        var scenario = new CustomersScenario(source, target, Directory.CreateTempSubdirectory("cutover-backfill-store-").FullName, time ?? TimeProvider.System);
        await source.ExecuteAsync(
            "CREATE TABLE customers (tenant INTEGER NOT NULL, id INTEGER NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT, active BOOLEAN NOT NULL, updated_at INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (tenant, id))",
            "CREATE TABLE customers (tenant integer NOT NULL, id bigint NOT NULL, first_name text NOT NULL, last_name text NOT NULL, email text, active boolean NOT NULL, updated_at bigint NOT NULL DEFAULT 1, PRIMARY KEY (tenant, id))");
        var values = string.Join(", ", Customers().Select(c =>
            $"({c.Tenant}, {c.Id}, '{c.First}', '{c.Last}', {(c.Email is null ? "NULL" : $"'{c.Email}'")}, {(c.Active ? "TRUE" : "FALSE")})"));
        await source.ExecuteAsync($"INSERT INTO customers (tenant, id, first_name, last_name, email, active) VALUES {values}");
        await target.ExecuteAsync(
            "CREATE TABLE clients (tenant_id INTEGER NOT NULL, client_id INTEGER NOT NULL, full_name TEXT NOT NULL, email TEXT, active INTEGER NOT NULL, PRIMARY KEY (tenant_id, client_id))",
            "CREATE TABLE clients (tenant_id integer NOT NULL, client_id bigint NOT NULL, full_name varchar(200) NOT NULL, email text, active boolean NOT NULL, PRIMARY KEY (tenant_id, client_id))");
        return scenario;
    }

    /// <summary>The job file's text; <paramref name="more"/> is added at its end (e.g. a transform), <paramref name="margin"/> to its <c>catchUp</c> section.</summary>
    public string JobYaml(int batchSize = 4, double rateLimit = 0, int maxLagRows = 100, string more = "", string? margin = null) => $"""
        name: customers
        source:
          store: "{Source.Location}"
          table: customers
          key: [tenant, id]
        target:
          store: "{Target.Location}"
          table: clients
        columns:
          tenant_id: tenant
          client_id: id
          full_name: "first_name || ' ' || last_name"
          email: email
          active: active
        batchSize: {batchSize}
        rateLimit: {rateLimit}
        changeColumn: updated_at
        catchUp:
          maxLagRows: {maxLagRows}
          maxPasses: 3{(margin is null ? string.Empty : "\n  margin: " + margin)}
        {more}
        """;

    public BackfillJob Job(int batchSize = 4, double rateLimit = 0, int maxLagRows = 100, string more = "", string? margin = null) =>
        BackfillJobFile.Parse(JobYaml(batchSize, rateLimit, maxLagRows, more, margin), "job.yaml");

    public BackfillRunner Runner(Action<BackfillProgress>? progress = null) => new(Store, Time) { Progress = progress };

    /// <summary>Writes the job file into the scenario's folder and returns its path.</summary>
    public string WriteJobFile(int batchSize = 4, double rateLimit = 0, string more = "")
    {
        var path = Path.Combine(_folder, "job.yaml");
        File.WriteAllText(path, JobYaml(batchSize, rateLimit, more: more));
        return path;
    }

    /// <summary>
    /// Job file lines naming a type of the test transforms' assembly by a path relative to the job
    /// file, as users write it; <paramref name="onError"/> is added when given.
    /// </summary>
    public string TransformYaml(string type = "NormaliseEmail", string? onError = null, string assembly = "Cutover.Backfill.TestTransforms.dll")
    {
        var relative = Path.GetRelativePath(_folder, Path.Combine(AppContext.BaseDirectory, assembly));
        return $"transform: {{ assembly: {relative}, type: Cutover.Backfill.TestTransforms.{type} }}" + (onError is null ? string.Empty : $"\nonError: {onError}");
    }

    public Task<List<string>> TargetRowsAsync() => Target.RowsAsync("SELECT tenant_id, client_id, full_name, email, active FROM clients ORDER BY tenant_id, client_id");

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Source.DisposeAsync();
        await Target.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Three tenants with interleaved ids, so key order is (tenant, id) and not id alone.</summary>
    private static IEnumerable<(int Tenant, int Id, string First, string Last, string? Email, bool Active)> Customers() =>
        Enumerable.Range(1, Rows).Select(n => (Tenant: n % 3 + 1, Id: 100 - n, First: "First" + n, Last: "Last" + n, Email: n % 5 == 0 ? null : $"c{n}@example.com", Active: n % 2 == 0))
            .OrderBy(c => c.Tenant).ThenBy(c => c.Id);
}
