using Cutover.Backfill.Checkpoints;
using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.TestTransforms;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Tests.Verifying;
using Cutover.Backfill.Verifying;
using Cutover.Store;

namespace Cutover.Backfill.Tests.Transforms;

public sealed class RowTransformTests
{
    [Theory]
    [MemberData(nameof(BackfillVerifierTests.CrossEngine), MemberType = typeof(BackfillVerifierTests))]
    public async Task RunAsync_TransformFromJobFileWithSkip_WritesTransformedRowsRecordsTheRejectedOneAndVerifiesClean(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        var job = await BackfillJobFile.LoadAsync(scenario.WriteJobFile(more: scenario.TransformYaml(onError: "skip")));

        var record = await scenario.Runner().RunAsync(job, restart: false);

        Assert.Equal(ExpectedRows(), await scenario.TargetRowsAsync());
        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.Rows - 1, record.RowsCopied);
        Assert.Equal(ExpectedChecksum(), record.Checksum);
        var skipped = SkippedRows.Parse(record.Skipped);
        Assert.Equal(1, skipped.Total);
        Assert.Equal([new SkippedRow("(2, 90)", "client 90 is a test account")], skipped.Rows);

        var report = await new BackfillVerifier(scenario.Store, scenario.Time).VerifyAsync("customers", repair: false, chunkSize: 4);
        Assert.True(report.Identical);
        Assert.Equal(CustomersScenario.Rows - 1, report.SourceRows);
    }

    [Fact]
    public async Task RunAsync_RejectedRowWithStop_FailsNamingKeyAndReasonAndKeepsTheCheckpointAtTheLastGoodBatch()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var job = await BackfillJobFile.LoadAsync(scenario.WriteJobFile(more: scenario.TransformYaml()));

        var error = await Assert.ThrowsAsync<BackfillFailedException>(() => scenario.Runner().RunAsync(job, restart: false));

        // (2, 90) is the 14th row in key order: batches of 4 stop in the fourth, after 12 rows.
        Assert.Equal(
            "Backfill job 'customers' failed after 12 rows (checkpoint at key (2, 84)): The row with key (2, 90) was rejected by the transform: client 90 is a test account. " +
            "Fix the source row or the transform, or set 'onError: skip' to record such rows and go on. Fix the cause and run `cutover backfill resume customers`; the batch that failed is copied again.",
            error.Message);
        var record = await scenario.Store.GetBackfillAsync("customers");
        Assert.Equal(BackfillStatus.Failed, record!.Status);
        Assert.Equal(12, record.RowsCopied);
        Assert.Equal("(2, 84)", KeyCodec.Display(record.LastKey));
        Assert.Null(record.Skipped);
        Assert.Equal(12, (await scenario.TargetRowsAsync()).Count);
    }

    [Fact]
    public async Task RunAsync_ValueTheTargetCannotTakeWithSkip_RecordsItAndWritesTheRestOfTheBatch()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        await scenario.Source.ExecuteAsync("UPDATE customers SET active = 'maybe' WHERE tenant = 1 AND id = 97");
        var job = BackfillJobFile.Parse(scenario.JobYaml(more: "onError: skip"), "job.yaml");

        var record = await scenario.Runner().RunAsync(job, restart: false);

        Assert.Equal(BackfillStatus.Completed, record.Status);
        Assert.Equal(CustomersScenario.Rows - 1, record.RowsCopied);
        Assert.Equal(CustomersScenario.Rows - 1, (await scenario.TargetRowsAsync()).Count);
        var skipped = Assert.Single(SkippedRows.Parse(record.Skipped).Rows);
        Assert.Equal("(1, 97)", skipped.Key);
        Assert.StartsWith("cannot be written: target column 'active' (boolean) cannot take 'maybe'", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatchUpAsync_TransformWithSkip_TransformsChangedRowsAndAddsTheRejectedOneToTheSkippedRows()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        var job = await BackfillJobFile.LoadAsync(scenario.WriteJobFile(more: scenario.TransformYaml(onError: "skip")));
        await scenario.Runner().RunAsync(job, restart: false);
        await scenario.Source.ExecuteAsync("UPDATE customers SET email = 'After@Example.com', updated_at = 3 WHERE id IN (76, 90)");

        var result = await scenario.Runner().CatchUpAsync("customers");

        Assert.Equal([1L], result.PassRows);
        Assert.Contains("1|76|First24 Last24|after@example.net|1", await scenario.TargetRowsAsync());
        Assert.Equal(CustomersScenario.Rows - 1, (await scenario.TargetRowsAsync()).Count);
        var skipped = SkippedRows.Parse(result.Record.Skipped);
        Assert.Equal(2, skipped.Total);
        Assert.Equal([new SkippedRow("(2, 90)", "client 90 is a test account"), new SkippedRow("(2, 90)", "client 90 is a test account")], skipped.Rows);
        Assert.Equal(result.Record, await scenario.Store.GetBackfillAsync("customers"));
    }

    [Fact]
    public async Task CatchUpAsync_RejectedRowWithStop_FailsThePassNamingTheRowAndKeepsTheMark()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var copied = await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Source.ExecuteAsync("UPDATE customers SET email = 'after@example.com', updated_at = 3 WHERE id = 90");

        var error = await Assert.ThrowsAsync<BackfillFailedException>(() => new BackfillRunner(scenario.Store, scenario.Time) { Transform = new NormaliseEmail() }.CatchUpAsync("customers"));

        Assert.StartsWith("Catch-up of backfill job 'customers' failed in pass 1: The row with key (2, 90) was rejected by the transform: client 90 is a test account.", error.Message, StringComparison.Ordinal);
        Assert.Equal(copied.HighWater, (await scenario.Store.GetBackfillAsync("customers"))!.HighWater);
    }

    [Fact]
    public async Task ResumeAsync_TransformGivenInCode_KeepsUsingItAndVerifyAppliesItToo()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        var job = BackfillJobFile.Parse(scenario.JobYaml(more: "onError: skip"), "job.yaml");
        using var stop = new CancellationTokenSource();
        var runner = new BackfillRunner(scenario.Store, scenario.Time)
        {
            Transform = new NormaliseEmail(),
            Progress = p => { if (p.Record.RowsCopied >= 8) stop.Cancel(); },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(job, restart: false, stop.Token));
        var record = await new BackfillRunner(scenario.Store, scenario.Time) { Transform = new NormaliseEmail() }.ResumeAsync("customers");

        Assert.Equal(ExpectedRows(), await scenario.TargetRowsAsync());
        Assert.Equal(ExpectedChecksum(), record.Checksum);
        Assert.Equal(1, SkippedRows.Parse(record.Skipped).Total);
        var report = await new BackfillVerifier(scenario.Store, scenario.Time) { Transform = new NormaliseEmail() }.VerifyAsync("customers", repair: false);
        Assert.True(report.Identical);
    }

    [Fact]
    public async Task Parse_TransformThatCannotBeLoaded_NamesEachProblemWithItsLine()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        string Problem(string transform)
        {
            var error = Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse(scenario.JobYaml(more: transform), "job.yaml", AppContext.BaseDirectory));
            return Assert.Single(error.Errors).ToString();
        }

        Assert.Equal(
            $"job.yaml:21: transform.assembly: 'Missing.dll' is not found (looked for {Path.Combine(AppContext.BaseDirectory, "Missing.dll")}); build the transform's project and give the path of its .dll relative to the job file",
            Problem("transform: { assembly: Missing.dll, type: A.B }"));
        Assert.Equal(
            "job.yaml:21: transform.type: 'NormaliseEmail' is not a type in Cutover.Backfill.TestTransforms.dll; give the full name with its namespace: it has Cutover.Backfill.TestTransforms.NormaliseEmail",
            Problem("transform: { assembly: Cutover.Backfill.TestTransforms.dll, type: NormaliseEmail }"));
        Assert.Equal(
            "job.yaml:21: transform.type: 'Cutover.Backfill.TestTransforms.NotATransform' does not implement Cutover.Backfill.Transforms.IRowTransform; name a class that does",
            Problem("transform: { assembly: Cutover.Backfill.TestTransforms.dll, type: Cutover.Backfill.TestTransforms.NotATransform }"));
        Assert.Equal(
            "job.yaml:21: transform.type: 'Cutover.Backfill.TestTransforms.TransformWithSettings' has no public parameterless constructor; add one: the backfill makes the transform with it, once per run",
            Problem("transform: { assembly: Cutover.Backfill.TestTransforms.dll, type: Cutover.Backfill.TestTransforms.TransformWithSettings }"));
        Assert.Equal(
            "job.yaml:21: transform.type: is missing; give the full name of a class implementing Cutover.Backfill.Transforms.IRowTransform, e.g. 'type: MyCompany.Transforms.NormaliseEmail'",
            Problem("transform: { assembly: Cutover.Backfill.TestTransforms.dll }"));
    }

    [Fact]
    public async Task Parse_TransformWithRelativePath_StoresTheDefinitionWithTheFullPath()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var job = await BackfillJobFile.LoadAsync(scenario.WriteJobFile(more: scenario.TransformYaml()));

        Assert.IsType<NormaliseEmail>(job.Transform);
        var stored = BackfillJobFile.Parse(job.Definition, "stored", Path.GetTempPath());
        Assert.IsType<NormaliseEmail>(stored.Transform);
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "Cutover.Backfill.TestTransforms.dll"), job.Definition, StringComparison.Ordinal);
    }

    /// <summary>The scenario's target rows as <see cref="NormaliseEmail"/> leaves them: example.net addresses, client 90 left out.</summary>
    private static List<string> ExpectedRows() =>
        [.. CustomersScenario.ExpectedRows.Where(r => !r.StartsWith("2|90|", StringComparison.Ordinal)).Select(r => r.Replace("@example.com", "@example.net", StringComparison.Ordinal))];

    private static string ExpectedChecksum()
    {
        var checksum = new RowChecksum();
        foreach (var row in CustomersScenario.ExpectedMapped.Where(r => !Equals(r[1], 90L)))
        {
            checksum.Add([.. row.Select(v => v is string text ? text.Replace("@example.com", "@example.net", StringComparison.Ordinal) : v)]);
        }

        return checksum.Value;
    }
}
