using Cutover.Backfill.Jobs;
using Cutover.Backfill.Running;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Tests.Running;
using Cutover.Backfill.Verifying;
using Cutover.Store;

namespace Cutover.Backfill.Tests.Verifying;

public sealed class BackfillVerifierTests
{
    public static TheoryData<string, string> CrossEngine => new()
    {
        { "sqlite", "postgres" },
        { "postgres", "sqlite" },
    };

    [Theory]
    [MemberData(nameof(BackfillRunnerTests.Pairings), MemberType = typeof(BackfillRunnerTests))]
    public async Task VerifyAsync_CopiedTable_IsIdenticalInEveryChunk(string source, string target)
    {
        await using var scenario = await CustomersScenario.CreateAsync(source, target);
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);

        var report = await Verifier(scenario).VerifyAsync("customers", repair: false, chunkSize: 4);

        Assert.True(report.Identical);
        Assert.Equal(BackfillStatus.Completed, report.JobStatus);
        Assert.Equal(7, report.Chunks);
        Assert.Equal(0, report.ChunksDiffering);
        Assert.Equal(CustomersScenario.Rows, report.SourceRows);
        Assert.Equal(CustomersScenario.Rows, report.TargetRows);
        Assert.Empty(report.MismatchedChunks);
    }

    [Theory]
    [MemberData(nameof(CrossEngine))]
    public async Task VerifyAsync_ChangedDeletedAndExtraTargetRows_NamesEachByKeyAndRange(string source, string target)
    {
        await using var scenario = await CorruptedAsync(source, target);

        var report = await Verifier(scenario).VerifyAsync("customers", repair: false, chunkSize: 4);

        Assert.False(report.Identical);
        Assert.Equal((1L, 2L, 1L, 4L), (report.Missing, report.Extra, report.Different, report.Remaining));
        Assert.Equal(CustomersScenario.Rows, report.SourceRows);
        Assert.Equal(CustomersScenario.Rows + 1, report.TargetRows);
        Assert.Equal(4, report.ChunksDiffering);
        Assert.Equal(8, report.Chunks);
        Assert.Equal(
            [
                "(null, (1, 85)] 4/3 missing (1, 79)",
                "((1, 97), (2, 84)] 4/5 extra (2, 80)",
                "((2, 84), (2, 96)] 4/4 different (2, 87): email",
                "((3, 98), (3, 200)] 0/1 extra (3, 200)",
            ],
            report.MismatchedChunks.Select(Line));
        var changed = report.MismatchedChunks[2];
        Assert.NotEqual(changed.SourceChecksum, changed.TargetChecksum);
    }

    [Theory]
    [MemberData(nameof(CrossEngine))]
    public async Task VerifyAsync_Repair_RecopiesMismatchedChunksAndLeavesExtraRowsReported(string source, string target)
    {
        await using var scenario = await CorruptedAsync(source, target);

        var repaired = await Verifier(scenario).VerifyAsync("customers", repair: true, chunkSize: 4);

        Assert.True(repaired.Repaired);
        Assert.Equal(8, repaired.Recopied);
        Assert.Equal(2, repaired.Remaining);
        Assert.False(repaired.Identical);
        Assert.Equal([(4L, 0L), (0L, 1L), (4L, 0L), (0L, 1L)], repaired.MismatchedChunks.Select(c => (c.Recopied, c.Remaining)));
        var rows = await scenario.TargetRowsAsync();
        Assert.Equal(CustomersScenario.Rows + 2, rows.Count);
        Assert.Equal(CustomersScenario.ExpectedRows, rows.Where(r => !r.StartsWith("2|80|", StringComparison.Ordinal) && !r.StartsWith("3|200|", StringComparison.Ordinal)));

        var again = await Verifier(scenario).VerifyAsync("customers", repair: false, chunkSize: 4);
        Assert.Equal((0L, 2L, 0L), (again.Missing, again.Extra, again.Different));

        await scenario.Target.ExecuteAsync("DELETE FROM clients WHERE (tenant_id = 2 AND client_id = 80) OR (tenant_id = 3 AND client_id = 200)");
        var clean = await Verifier(scenario).VerifyAsync("customers", repair: false, chunkSize: 4);
        Assert.True(clean.Identical);
    }

    [Theory]
    [MemberData(nameof(CrossEngine))]
    public async Task VerifyAsync_SourceRowsDeletedAfterTheCopy_AreReportedExtraAndRepairLeavesThemByDefault(string source, string target)
    {
        await using var scenario = await SourceChangedAfterCopyAsync(source, target, "report");

        var found = await Verifier(scenario).VerifyAsync("customers", repair: false, chunkSize: 4);
        var repaired = await Verifier(scenario).VerifyAsync("customers", repair: true, chunkSize: 4);

        Assert.Equal((0L, 2L, 1L), (found.Missing, found.Extra, found.Different));
        Assert.Equal(DeletePolicy.Report, found.Deletes);
        Assert.Contains(found.MismatchedChunks.SelectMany(c => c.Rows), r => r is { Kind: RowDifferenceKind.Extra, Key: "(1, 79)" });
        Assert.Contains(found.MismatchedChunks.SelectMany(c => c.Rows), r => r is { Kind: RowDifferenceKind.Extra, Key: "(3, 98)" });
        Assert.Equal((0L, 2L), (repaired.Deleted, repaired.Remaining));
        Assert.Equal(CustomersScenario.Rows, (await scenario.TargetRowsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(CrossEngine))]
    public async Task VerifyAsync_RepairWithDeletesApply_DeletesTheExtraRowsChunkByChunk(string source, string target)
    {
        await using var scenario = await SourceChangedAfterCopyAsync(source, target, "apply");

        var repaired = await Verifier(scenario).VerifyAsync("customers", repair: true, chunkSize: 4);
        var again = await Verifier(scenario).VerifyAsync("customers", repair: false, chunkSize: 4);

        Assert.Equal((2L, 1L), (repaired.Extra, repaired.Different));
        Assert.Equal((2L, 0L), (repaired.Deleted, repaired.Remaining));
        Assert.True(repaired.Identical);
        Assert.Equal(2, repaired.MismatchedChunks.Sum(c => c.Deleted));
        Assert.True(again.Identical);
        Assert.Equal(CustomersScenario.Rows - 2, again.TargetRows);
        var rows = await scenario.TargetRowsAsync();
        Assert.DoesNotContain(rows, r => r.StartsWith("1|79|", StringComparison.Ordinal) || r.StartsWith("3|98|", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("2|87|", StringComparison.Ordinal) && r.Contains("|moved@example.com|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_ManyDifferences_ListsUpToTheLimitAndCountsThemAll()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Target.ExecuteAsync("DELETE FROM clients");

        var report = await Verifier(scenario).VerifyAsync("customers", repair: false, chunkSize: 10, listLimit: 2);

        Assert.Equal(CustomersScenario.Rows, report.Missing);
        Assert.Equal(3, report.ChunksDiffering);
        Assert.Equal(2, report.MismatchedChunks.Count);
        Assert.Equal([2, 0], report.MismatchedChunks.Select(c => c.Rows.Count));
        Assert.Equal([10L, 10L], report.MismatchedChunks.Select(c => c.Missing));
    }

    [Fact]
    public async Task VerifyAsync_UnknownJobOrJobRunning_IsRefusedWithWhatToDo()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var unknown = await Assert.ThrowsAsync<BackfillRefusedException>(() => Verifier(scenario).VerifyAsync("customers", repair: false));
        Assert.StartsWith("There is no backfill job 'customers' in ", unknown.Message, StringComparison.Ordinal);

        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        Assert.True(await scenario.Store.TryLeaseAsync("backfill:customers", "another-process", TimeSpan.FromMinutes(1)));
        var running = await Assert.ThrowsAsync<BackfillBusyException>(() => Verifier(scenario).VerifyAsync("customers", repair: true));
        Assert.StartsWith("Backfill job 'customers' is already running", running.Message, StringComparison.Ordinal);
    }

    private static BackfillVerifier Verifier(CustomersScenario scenario) => new(scenario.Store, scenario.Time);

    /// <summary>A copied table, then in the target: (2, 87)'s email changed, (1, 79) deleted, (2, 80) and (3, 200) added.</summary>
    private static async Task<CustomersScenario> CorruptedAsync(string source, string target)
    {
        var scenario = await CustomersScenario.CreateAsync(source, target);
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Target.ExecuteAsync("UPDATE clients SET email = 'someone@else.example' WHERE tenant_id = 2 AND client_id = 87");
        await scenario.Target.ExecuteAsync("DELETE FROM clients WHERE tenant_id = 1 AND client_id = 79");
        await scenario.Target.ExecuteAsync(
            "INSERT INTO clients VALUES (2, 80, 'Not Copied', NULL, 1), (3, 200, 'Written Elsewhere', NULL, 0)",
            "INSERT INTO clients VALUES (2, 80, 'Not Copied', NULL, TRUE), (3, 200, 'Written Elsewhere', NULL, FALSE)");
        return scenario;
    }

    /// <summary>
    /// A copied table, then in the source: (1, 79) and (3, 98), the last key, deleted and (2, 87)'s
    /// email changed, with the job's <c>deletes</c> set to <paramref name="deletes"/>.
    /// </summary>
    private static async Task<CustomersScenario> SourceChangedAfterCopyAsync(string source, string target, string deletes)
    {
        var scenario = await CustomersScenario.CreateAsync(source, target);
        await scenario.Runner().RunAsync(scenario.Job(more: "deletes: " + deletes), restart: false);
        await scenario.Source.ExecuteAsync("DELETE FROM customers WHERE (tenant = 1 AND id = 79) OR (tenant = 3 AND id = 98)");
        await scenario.Source.ExecuteAsync("UPDATE customers SET email = 'moved@example.com' WHERE tenant = 2 AND id = 87");
        return scenario;
    }

    private static string Line(ChunkReport chunk) =>
        $"({chunk.After ?? "null"}, {chunk.UpTo}] {chunk.SourceRows}/{chunk.TargetRows} " +
        string.Join("; ", chunk.Rows.Select(r => $"{r.Kind.ToString().ToLowerInvariant()} {r.Key}" + (r.Columns.Count > 0 ? ": " + string.Join(", ", r.Columns) : string.Empty)));
}
