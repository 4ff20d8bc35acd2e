using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Targets;
using Cutover.Backfill.Tests.Infrastructure;
using Npgsql;

namespace Cutover.Backfill.Tests.Copying;

/// <summary>
/// The binary COPY reader and writer against the SELECT reader and the row-by-row upsert on the
/// same data in a real PostgreSQL: same pages, same values of the same types, same checksums,
/// same target rows, same rejections.
/// </summary>
public sealed class BinaryCopyTests
{
    private const string Columns = "code text NOT NULL, id bigint NOT NULL, small smallint, medium integer, price numeric(12,2), ratio real, score double precision, " +
        "active boolean, name varchar(50), note text, seen timestamp, placed timestamptz, born date, ref uuid, blob bytea, doc jsonb, PRIMARY KEY (code, id)";

    private const string Names = "code, id, small, medium, price, ratio, score, active, name, note, seen, placed, born, ref, blob, doc";

    [Fact]
    public async Task CopySource_ReadsTheSamePagesValuesAndTypesAsTheSelectReader()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE copy ({Columns})");
        await database.ExecuteAsync($"""
            INSERT INTO items ({Names}) SELECT
              CASE WHEN n % 3 = 0 THEN 'o''brien' ELSE 'code-' || (n % 2) END, n, n, n * 1000, n * 1.25, n / 4.0, n / 3.0,
              n % 2 = 0, 'name ' || n, CASE WHEN n % 4 = 0 THEN NULL ELSE 'note é ' || n END,
              TIMESTAMP '2024-01-02 03:04:05.123456' + n * INTERVAL '1 hour', TIMESTAMPTZ '2024-01-02 03:04:05+02' + n * INTERVAL '1 minute',
              DATE '2024-02-28' + n, md5(n::text)::uuid, decode(md5(n::text), 'hex'), jsonb_build_object('n', n)
            FROM generate_series(1, 23) AS n
            """);
        var job = Job(database, "items", "copy", expression: "upper(name)");
        await using var databases = await JobDatabases.OpenAsync(job, CancellationToken.None);
        await using var copy = await CopySource.TryCreateAsync((NpgsqlConnection)databases.SourceConnection, job, databases.Schema.SourceFrom, changedSince: null, CancellationToken.None);
        await using var select = new KeysetSource(await databases.Source.OpenAsync("source", CancellationToken.None), job, databases.Schema.SourceFrom);
        Assert.NotNull(copy);

        var copied = await ReadAllAsync(copy, job, batchSize: 4);
        var selected = await ReadAllAsync(select, job, batchSize: 4);

        Assert.Equal(23, copied.Count);
        Assert.Equal(23, await copy.CountAsync(CancellationToken.None));
        Assert.Equal(selected.Select(Typed), copied.Select(Typed));
        Assert.Equal(Checksum(selected), Checksum(copied));
    }

    [Fact]
    public async Task CopyTarget_WritesWhatTheUpsertWritesAndRewritingIsIdempotent()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE upserted ({Columns}); CREATE TABLE copied ({Columns})");
        var rows = Enumerable.Range(1, 12).Select(SqliteLikeRow).ToList();
        var changed = rows.Select(r => r.ToArray()).ToList();
        changed[5][8] = "renamed";
        changed[6][9] = null;

        foreach (var (table, useCopy) in new[] { ("upserted", false), ("copied", true) })
        {
            var job = Job(database, "items", table, expression: null);
            await using var databases = await JobDatabases.OpenAsync(job, CancellationToken.None);
            await using var target = useCopy
                ? (IBatchTarget)new CopyTarget((NpgsqlConnection)databases.TargetConnection, databases.Target, job, databases.Schema.Target, databases.Schema.TargetColumns)
                : new UpsertTarget(databases.TargetConnection, databases.Target, job, databases.Schema.Target, databases.Schema.TargetColumns);
            await target.WriteAsync(rows, CancellationToken.None);
            await target.WriteAsync(rows.Take(6).ToList(), CancellationToken.None);
            await target.WriteAsync(changed, CancellationToken.None);
        }

        var upserted = await database.RowsAsync($"SELECT {Names} FROM upserted ORDER BY code, id");
        Assert.Equal(12, upserted.Count);
        Assert.Contains(upserted, r => r.Contains("|renamed|", StringComparison.Ordinal));
        Assert.Equal(upserted, await database.RowsAsync($"SELECT {Names} FROM copied ORDER BY code, id"));
    }

    [Fact]
    public async Task CopyTarget_RowItCannotTake_IsRejectedNamingKeyAndColumnAndNothingOfTheBatchIsWritten()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE copied ({Columns})");
        var job = Job(database, "items", "copied", expression: null);
        await using var databases = await JobDatabases.OpenAsync(job, CancellationToken.None);
        await using var target = new CopyTarget((NpgsqlConnection)databases.TargetConnection, databases.Target, job, databases.Schema.Target, databases.Schema.TargetColumns);
        var rows = Enumerable.Range(1, 5).Select(SqliteLikeRow).ToList();
        rows[3][3] = "many";

        var error = await Assert.ThrowsAsync<RowRejectedException>(() => target.WriteAsync(rows, CancellationToken.None));

        Assert.Contains("key ('code-0', 4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("target column 'medium' (integer) cannot take 'many'", error.Message, StringComparison.Ordinal);
        Assert.Equal("('code-0', 4)", KeyCodec.Display(KeyCodec.Encode(error.Key)));
        Assert.StartsWith("cannot be written: target column 'medium'", error.Reason, StringComparison.Ordinal);
        Assert.Empty(await database.RowsAsync("SELECT id FROM copied"));
        await target.WriteAsync(rows.Take(3).ToList(), CancellationToken.None);
        Assert.Equal(["1", "2", "3"], await database.RowsAsync("SELECT id FROM copied ORDER BY id"));
    }

    [Theory]
    [InlineData("postgres", "postgres", typeof(CopySource), typeof(CopyTarget))]
    [InlineData("sqlite", "postgres", typeof(KeysetSource), typeof(CopyTarget))]
    [InlineData("postgres", "sqlite", typeof(CopySource), typeof(UpsertTarget))]
    [InlineData("sqlite", "sqlite", typeof(KeysetSource), typeof(UpsertTarget))]
    public async Task BatchPaths_ChooseCopyForEachPostgresSideAndSelectOrUpsertForSqlite(string source, string target, Type reader, Type writer)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        var job = scenario.Job();
        await using var databases = await JobDatabases.OpenAsync(job, CancellationToken.None);

        await using var chosenSource = await BatchPaths.SourceAsync(databases, job, changedSince: null, CancellationToken.None);
        await using var chosenTarget = BatchPaths.Target(databases, job);

        Assert.IsType(reader, chosenSource);
        Assert.IsType(writer, chosenTarget);
    }

    private static BackfillJob Job(TestDatabase database, string source, string target, string? expression) => BackfillJobFile.Parse($"""
        name: items
        source:
          store: "{database.Location}"
          table: {source}
          key: [code, id]
        target:
          store: "{database.Location}"
          table: {target}
        columns:
        {string.Join("\n", Names.Split(", ").Select(n => $"  {n}: {(n == "name" && expression is not null ? $"\"{expression}\"" : n)}"))}
        """, "job.yaml");

    /// <summary>A row as a SQLite source gives it: whole numbers as long, booleans as 0/1, times, dates and UUIDs as text.</summary>
    private static object?[] SqliteLikeRow(int n) =>
    [
        "code-" + (n % 2), (long)n, (long)n, (long)n * 1000, n * 1.25, n / 4.0, n / 3.0, (long)(n % 2), "name " + n, n % 4 == 0 ? null : "note é " + n,
        $"2024-01-02 03:04:{n:00}.5", $"2024-01-02T03:04:{n:00}+02:00", $"2024-03-{n:00}", $"00000000-0000-0000-0000-{n:000000000000}", new byte[] { 1, (byte)n }, $"{{\"n\": {n}}}",
    ];

    private static async Task<List<object?[]>> ReadAllAsync(IBatchSource source, BackfillJob job, int batchSize)
    {
        var all = new List<object?[]>();
        IReadOnlyList<object?>? after = null;
        while (true)
        {
            var rows = await source.ReadAsync(after, batchSize, CancellationToken.None);
            all.AddRange(rows);
            if (rows.Count < batchSize)
            {
                return all;
            }

            after = job.KeyColumns.Select(i => rows[^1][i]).ToList();
        }
    }

    private static string Typed(object?[] row) => string.Join("|", row.Select(v => v is null ? "null" : $"{v.GetType().Name}:{(v is byte[] bytes ? Convert.ToHexString(bytes) : v is DateTime t ? t.ToString("O") + t.Kind : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))}"));

    private static string Checksum(IEnumerable<object?[]> rows)
    {
        var checksum = new RowChecksum();
        foreach (var row in rows)
        {
            checksum.Add(row);
        }

        return checksum.Value;
    }
}
