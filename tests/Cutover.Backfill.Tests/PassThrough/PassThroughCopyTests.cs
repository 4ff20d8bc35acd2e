using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Copying;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.PassThrough;
using Cutover.Backfill.Running;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Sources;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Transforms;
using Cutover.Store;
using Cutover.Store.Opening;
using Npgsql;

namespace Cutover.Backfill.Tests.PassThrough;

/// <summary>
/// The pass-through copy (PostgreSQL's binary COPY stream straight into the target table) against
/// the boxed path on the same rows in a real PostgreSQL: every type it reads, with edge values and
/// random ones, gives the checksum the boxed values give and the same target rows; values only the
/// boxed path reads right, keys the application wrote meanwhile and rows the target rejects all end
/// as the boxed path ends them.
/// </summary>
public sealed class PassThroughCopyTests
{
    private const string Columns = "id bigint PRIMARY KEY, flag boolean, small smallint, medium integer, big bigint, ratio real, score double precision, " +
        "price numeric, money numeric(12,2), name varchar(40), note text, doc jsonb, raw json, blob bytea, ref uuid, seen timestamp, placed timestamptz, born date";

    private const string Names = "id, flag, small, medium, big, ratio, score, price, money, name, note, doc, raw, blob, ref, seen, placed, born";

    private const string EdgeRows = """
        INSERT INTO items VALUES
          (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (2, true, -32768, -2147483648, -9223372036854775808, 'NaN', 'NaN', -1234567890.123456789012345678, 0, '', '', '{}', '[]', '', '00000000-0000-0000-0000-000000000000',
           '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '0001-01-01'),
          (3, false, 32767, 2147483647, 9223372036854775807, 'Infinity', '-Infinity', -0.5, -0.50, 'é😀 ünïcode', 'line
        break', '{"a": [1, "é"]}', '{"b" : 1}', '\x00ff10', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
           '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00', '9999-12-31'),
          (4, true, 0, 0, 0, -0.0, -0.0, 123456789.123456789, 1.10, 'x', 'y', '1', '"s"', '\x01', '12345678-1234-5678-1234-567812345678',
           '2000-01-01 00:00:00', '1970-01-01 00:00:00.123456+00', '2000-01-01'),
          (5, false, 1, 1, 1, 1.5, 1e15, -100000000000000000000, 10000, 'a', 'b', 'null', 'null', '\x', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
           '1999-12-31 23:59:59.999999', '2024-02-29 12:00:00-07', '1999-12-31'),
          (6, true, 2, 2, 2, 3.4e38, 1e16, 0.0001, 9999999999.99, 'b', 'c', '[1, 2.50]', '{}', '\xdeadbeef', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
           '2024-01-02 03:04:05.5', '2024-01-02 03:04:05.5+00', '2024-01-02'),
          (7, false, 3, 3, 3, 0.1, 0.1, 0.00000000000000000001, -0.01, 'c', 'd', '"é"', '"é"', '\x00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13',
           '1900-06-15 12:00:00', '1900-06-15 12:00:00+01', '1900-06-15')
        """;

    private const string RandomRows = """
        SELECT setseed(0.42);
        INSERT INTO items
        SELECT n, random() < 0.5, (random() * 60000 - 30000)::int, (random() * 4e9 - 2e9)::bigint::int, (random() * 1e18)::bigint * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END),
               (random() - 0.5) * 10 ^ (random() * 30), (random() - 0.5) * 10 ^ (random() * 300 - 150),
               round(((random() - 0.5) * 10 ^ (random() * 20))::numeric, (random() * 8)::int), round((random() * 1e6)::numeric, 2),
               CASE WHEN random() < 0.1 THEN NULL ELSE substr(md5(n::text) || 'ñ€', 1, (random() * 36)::int) END, repeat('é', (random() * 5)::int),
               jsonb_build_object('n', n, 'x', random()), json_build_array(n, 'é'), decode(md5(n::text), 'hex'), md5(n::text)::uuid,
               TIMESTAMP '1950-01-01' + random() * INTERVAL '100 years', TIMESTAMPTZ '1950-01-01 00:00:00+00' + random() * INTERVAL '100 years', DATE '1950-01-01' + (random() * 36500)::int
        FROM generate_series(100, 399) AS n
        """;

    [Fact]
    public async Task PassThrough_EdgeAndRandomValuesOfEveryType_GivesTheBoxedChecksumAndTargetRows()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE passed ({Columns}); CREATE TABLE boxed ({Columns})");
        await database.ExecuteAsync(EdgeRows);
        await database.ExecuteAsync(RandomRows);
        var job = Job(database, "passed");
        await using var databases = await JobDatabases.OpenAsync(job, CancellationToken.None);
        var source = (CopySource)await BatchPaths.SourceAsync(databases, job, changedSince: null, CancellationToken.None);
        await using var reader = await CopySource.TryCreateAsync(await OpenPostgresAsync(databases), job, databases.Schema.SourceFrom, changedSince: null, CancellationToken.None);
        var passThrough = await BatchPaths.PassThroughAsync(databases, job, source, range: null, CancellationToken.None);
        Assert.NotNull(passThrough);
        Assert.NotNull(reader);

        IReadOnlyList<object?>? after = null;
        var batches = 0;
        while (true)
        {
            var rows = await reader.ReadAsync(after, 16, CancellationToken.None);
            var passed = await passThrough.CopyAsync(after, 16, CancellationToken.None);

            Assert.NotNull(passed);
            Assert.Equal(rows.Count, passed.Count);
            Assert.Equal(Checksum(rows), passed.Checksum.Value);
            if (rows.Count < 16)
            {
                break;
            }

            Assert.Equal(KeyCodec.Encode([.. job.KeyColumns.Select(i => rows[^1][i])]), KeyCodec.Encode(passed.LastKey!));
            after = passed.LastKey;
            batches++;
        }

        var boxed = await new BackfillRunner(Store(), TimeProvider.System) { Transform = new KeepEveryRow() }.RunAsync(Job(database, "boxed"), restart: false);
        Assert.Equal(307, boxed.RowsCopied);
        Assert.Equal(19, batches);
        Assert.Equal(await database.RowsAsync($"SELECT {Names} FROM boxed ORDER BY id"), await database.RowsAsync($"SELECT {Names} FROM passed ORDER BY id"));
    }

    [Fact]
    public async Task Run_ValuesOnlyTheBoxedPathReads_AreCopiedByItWithTheSameChecksum()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE passed ({Columns}); CREATE TABLE boxed ({Columns})");
        await database.ExecuteAsync(RandomRows);
        await database.ExecuteAsync("""
            INSERT INTO items (id, seen, placed, born, price) VALUES
              (1000, 'infinity', '-infinity', 'infinity', 1), (1001, '2024-01-01', '2024-01-01+00', '-infinity', 0.1234567890123456789012345678)
            """);

        var (passed, boxed) = await RunBothWaysAsync(database);

        Assert.Equal(BackfillStatus.Completed, passed.Status);
        Assert.Equal(302, passed.RowsCopied);
        Assert.Equal(boxed.Checksum, passed.Checksum);
        Assert.Equal(await database.RowsAsync($"SELECT {Names} FROM boxed ORDER BY id"), await database.RowsAsync($"SELECT {Names} FROM passed ORDER BY id"));
    }

    [Fact]
    public async Task Run_KeysTheApplicationWroteInTheTarget_AreUpsertedAsTheBoxedPathDoes()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE passed ({Columns}); CREATE TABLE boxed ({Columns})");
        await database.ExecuteAsync(RandomRows);
        await database.ExecuteAsync("INSERT INTO passed (id, note) VALUES (150, 'written before'); INSERT INTO boxed (id, note) VALUES (150, 'written before')");
        var store = Store();
        var batches = 0;
        var runner = new BackfillRunner(store, TimeProvider.System)
        {
            Progress = p =>
            {
                if (p.Record.RowsCopied > 0 && ++batches == 4)
                {
                    using var connection = new NpgsqlConnection(database.Location);
                    connection.Open();
                    using var write = new NpgsqlCommand("INSERT INTO passed (id, note) VALUES (330, 'the application')", connection);
                    write.ExecuteNonQuery();
                }
            },
        };

        var passed = await runner.RunAsync(Job(database, "passed", batchSize: 32), restart: false);
        var boxed = await new BackfillRunner(store, TimeProvider.System) { Transform = new KeepEveryRow() }.RunAsync(Job(database, "boxed", batchSize: 32), restart: false);

        Assert.Equal(300, passed.RowsCopied);
        Assert.Equal(boxed.Checksum, passed.Checksum);
        Assert.Equal(await database.RowsAsync($"SELECT {Names} FROM items ORDER BY id"), await database.RowsAsync($"SELECT {Names} FROM passed ORDER BY id"));
    }

    [Fact]
    public async Task Run_RowTheTargetRejects_FailsAsTheBoxedPathFailsAfterTheSameRows()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE passed ({Columns}, CHECK (id <> 222)); CREATE TABLE boxed ({Columns}, CHECK (id <> 222))");
        await database.ExecuteAsync(RandomRows);
        var store = Store();

        var passed = await Assert.ThrowsAsync<BackfillFailedException>(() => new BackfillRunner(store, TimeProvider.System).RunAsync(Job(database, "passed"), restart: false));
        var boxed = await Assert.ThrowsAsync<BackfillFailedException>(
            () => new BackfillRunner(store, TimeProvider.System) { Transform = new KeepEveryRow() }.RunAsync(Job(database, "boxed"), restart: false));

        Assert.Contains("failed after 112 rows (checkpoint at key (211)): 23514: new row for relation \"passed\" violates check constraint", passed.Message, StringComparison.Ordinal);
        Assert.Equal(boxed.Message.Replace("boxed", "passed", StringComparison.Ordinal), passed.Message);
        Assert.Equal((await store.GetBackfillAsync("boxed"))!.Checksum, (await store.GetBackfillAsync("passed"))!.Checksum);
        Assert.Equal(await database.RowsAsync($"SELECT {Names} FROM boxed ORDER BY id"), await database.RowsAsync($"SELECT {Names} FROM passed ORDER BY id"));
    }

    [Fact]
    public async Task Run_ConnectionsTerminatedMidRun_ReconnectsRetriesTheBatchAndEndsAsTheBoxedPathEnds()
    {
        await using var database = await TestDatabase.CreateAsync("postgres-database");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE passed ({Columns}); CREATE TABLE boxed ({Columns})");
        await database.ExecuteAsync(RandomRows);
        var store = Store();
        var retries = new List<BackfillRetry>();
        var runner = new BackfillRunner(store, TimeProvider.System)
        {
            Progress = p =>
            {
                if (p.Record.RowsCopied == 48)
                {
                    database.TerminateConnectionsAsync().GetAwaiter().GetResult();
                }
            },
            Retrying = retries.Add,
        };

        var passed = await runner.RunAsync(BackfillJobFile.Parse(JobYaml(database, "passed", 16) + "\nretries: { attempts: 3, backoff: 10ms }", "job.yaml"), restart: false);
        var boxed = await new BackfillRunner(store, TimeProvider.System) { Transform = new KeepEveryRow() }.RunAsync(Job(database, "boxed"), restart: false);

        var retry = Assert.Single(retries);
        Assert.StartsWith($"The target database {database.Location} cannot be used: ", retry.Error, StringComparison.Ordinal);
        Assert.Equal(BackfillStatus.Completed, passed.Status);
        Assert.Equal(300, passed.RowsCopied);
        Assert.Equal(boxed.Checksum, passed.Checksum);
        Assert.Equal(await database.RowsAsync($"SELECT {Names} FROM items ORDER BY id"), await database.RowsAsync($"SELECT {Names} FROM passed ORDER BY id"));
    }

    [Fact]
    public async Task Run_SplitJobWithSeveralWorkers_EachRangeEndsAsTheBoxedPathEnds()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await database.ExecuteAsync($"CREATE TABLE items ({Columns}); CREATE TABLE passed ({Columns}); CREATE TABLE boxed ({Columns})");
        await database.ExecuteAsync(RandomRows);
        var store = Store();

        var passed = await new BackfillRunner(store, TimeProvider.System) { Workers = 3 }
            .RunAsync(BackfillJobFile.Parse(JobYaml(database, "passed", 16) + "\nranges: 4", "job.yaml"), restart: false);
        var boxed = await new BackfillRunner(store, TimeProvider.System) { Workers = 3, Transform = new KeepEveryRow() }
            .RunAsync(BackfillJobFile.Parse(JobYaml(database, "boxed", 16) + "\nranges: 4", "job.yaml"), restart: false);

        Assert.Equal(BackfillStatus.Completed, passed.Status);
        Assert.Equal(300, passed.RowsCopied);
        Assert.Equal(boxed.Checksum, passed.Checksum);
        Assert.Equal(await database.RowsAsync($"SELECT {Names} FROM items ORDER BY id"), await database.RowsAsync($"SELECT {Names} FROM passed ORDER BY id"));
    }

    /// <summary>Runs the job into <c>passed</c> as it is and into <c>boxed</c> with a transform that keeps every row, which takes the boxed path.</summary>
    private static async Task<(BackfillRecord Passed, BackfillRecord Boxed)> RunBothWaysAsync(TestDatabase database)
    {
        var store = Store();
        var passed = await new BackfillRunner(store, TimeProvider.System).RunAsync(Job(database, "passed"), restart: false);
        var boxed = await new BackfillRunner(store, TimeProvider.System) { Transform = new KeepEveryRow() }.RunAsync(Job(database, "boxed"), restart: false);
        return (passed, boxed);
    }

    private static IBackfillStore Store() =>
        ControlStoreFactory.CreateBackfillStore("sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("cutover-passthrough-").FullName, "cutover.db"), TimeProvider.System);

    private static async Task<NpgsqlConnection> OpenPostgresAsync(JobDatabases databases) =>
        (NpgsqlConnection)await databases.Source.OpenAsync("source", CancellationToken.None);

    private static BackfillJob Job(TestDatabase database, string target, int batchSize = 16) => BackfillJobFile.Parse(JobYaml(database, target, batchSize), "job.yaml");

    private static string JobYaml(TestDatabase database, string target, int batchSize) => $"""
        name: {target}
        source:
          store: "{database.Location}"
          table: items
          key: [id]
        target:
          store: "{database.Location}"
          table: {target}
        columns:
        {string.Join("\n", Names.Split(", ").Select(n => $"  {n}: {n}"))}
        batchSize: {batchSize}
        """;

    private static string Checksum(IEnumerable<object?[]> rows)
    {
        var checksum = new RowChecksum();
        foreach (var row in rows)
        {
            checksum.Add(row);
        }

        return checksum.Value;
    }

    /// <summary>A transform that changes nothing, so the run takes the boxed path.</summary>
    private sealed class KeepEveryRow : IRowTransform
    {
        public RowVerdict Transform(MappedRow row) => RowVerdict.Keep;
    }
}
