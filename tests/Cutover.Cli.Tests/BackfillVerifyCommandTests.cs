using System.Text.Json;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Cli.Invocation;

namespace Cutover.Cli.Tests;

public sealed class BackfillVerifyCommandTests
{
    [Fact]
    public async Task Verify_CopiedTable_ExitsOkSayingBothSidesHoldTheSameRows()
    {
        await using var scenario = await CopiedAsync("sqlite", "postgres");

        var verify = await CliRun.RunAsync("backfill", "verify", "customers", "--chunk-size", "4", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
        Assert.Equal(
            "Verified backfill job 'customers' (completed): 25 source rows, 25 target rows, 7 chunks of up to 4 keys.\nSource and target hold the same rows.\n",
            verify.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Verify_ChangedAndDeletedRows_ExitsMismatchedNamingThemAndRepairFixesThem()
    {
        await using var scenario = await CopiedAsync("postgres", "sqlite");
        await scenario.Target.ExecuteAsync("UPDATE clients SET full_name = 'Changed' WHERE tenant_id = 2 AND client_id = 87");
        await scenario.Target.ExecuteAsync("DELETE FROM clients WHERE tenant_id = 3 AND client_id = 98");

        var found = await CliRun.RunAsync("backfill", "verify", "customers", "--chunk-size", "4", "--store", scenario.StoreLocation);
        var json = await CliRun.RunAsync("backfill", "verify", "customers", "--json", "--store", scenario.StoreLocation);
        var repair = await CliRun.RunAsync("backfill", "verify", "customers", "--repair", "--chunk-size", "4", "--store", scenario.StoreLocation);
        var after = await CliRun.RunAsync("backfill", "verify", "customers", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Mismatched, found.ExitCode);
        Assert.Contains("Chunk ((2, 84), (2, 96)]: source 4 rows, checksum ", found.Out, StringComparison.Ordinal);
        Assert.Contains("  different  (2, 87): full_name", found.Out, StringComparison.Ordinal);
        Assert.Contains("Chunk ((3, 95), (3, 98)]: source 1 row, checksum ", found.Out, StringComparison.Ordinal);
        Assert.Contains("  missing    (3, 98)", found.Out, StringComparison.Ordinal);
        Assert.Contains("Found 2 rows that differ in 2 of 7 chunks: 1 missing in the target, 0 extra in the target, 1 with different values.", found.Out, StringComparison.Ordinal);
        Assert.Contains("Run `cutover backfill verify customers --repair`", found.Out, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Mismatched, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        Assert.False(document.RootElement.GetProperty("identical").GetBoolean());
        Assert.Equal(1, document.RootElement.GetProperty("missing").GetInt64());
        var rows = document.RootElement.GetProperty("mismatchedChunks").EnumerateArray().SelectMany(c => c.GetProperty("rows").EnumerateArray()).ToList();
        Assert.Equal(["different (2, 87)", "missing (3, 98)"], rows.Select(r => $"{r.GetProperty("kind").GetString()} {r.GetProperty("key").GetString()}"));

        Assert.Equal(ExitCodes.Ok, repair.ExitCode);
        Assert.Contains("4 rows copied again, 0 still differ", repair.Out, StringComparison.Ordinal);
        Assert.Contains("Repair copied 5 source rows again; 0 rows still differ.", repair.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, after.ExitCode);
        Assert.Equal(CustomersScenario.ExpectedRows, await scenario.TargetRowsAsync());
    }

    [Fact]
    public async Task Verify_KeepNewerJobWithATargetRowNewerThanTheSource_ExitsOkCountingItAheadInTextJsonAndStatus()
    {
        await using var scenario = await ProfilesScenario.CreateAsync("sqlite", "postgres", "1, 'Source One', 10", "2, 'Source Two', 10");
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Target.ExecuteAsync("UPDATE user_profiles SET display_name = 'App One', version = 20 WHERE user_id = 1");

        var text = await CliRun.RunAsync("backfill", "verify", "profiles", "--store", scenario.StoreLocation);
        var json = await CliRun.RunAsync("backfill", "verify", "profiles", "--json", "--store", scenario.StoreLocation);
        var status = await CliRun.RunAsync("backfill", "status", "profiles", "--store", scenario.StoreLocation);

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (text.ExitCode, json.ExitCode));
        Assert.EndsWith(
            "\nSource and target hold the same rows, but for 1 target row newer than the source's (onConflict.keepNewer), which the copy keeps.\n",
            text.Out.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal((1L, 0L, true), (document.RootElement.GetProperty("ahead").GetInt64(), document.RootElement.GetProperty("different").GetInt64(), document.RootElement.GetProperty("identical").GetBoolean()));
        Assert.Contains("profiles: last verified ", status.Out, StringComparison.Ordinal);
        Assert.Contains("clean, 2 source rows and 2 target rows, 1 newer in the target (kept)", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ExtraTargetRow_IsReportedAndNotDeletedByRepair()
    {
        await using var scenario = await CopiedAsync("sqlite", "sqlite");
        await scenario.Target.ExecuteAsync("INSERT INTO clients VALUES (9, 1, 'Written Elsewhere', NULL, 0)");

        var repair = await CliRun.RunAsync("backfill", "verify", "customers", "--repair", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Mismatched, repair.ExitCode);
        Assert.Contains("  extra      (9, 1)", repair.Out, StringComparison.Ordinal);
        Assert.Contains(
            "Repair copied 0 source rows again; 1 row still differs (extra target rows are not deleted: the job has deletes: report; delete them by hand if the source no longer has them, " +
            "or set 'deletes: apply' in the job file and run it with `cutover backfill run -f JOB.yaml` so that repair deletes them).",
            repair.Out,
            StringComparison.Ordinal);
        Assert.Equal(CustomersScenario.Rows + 1, (await scenario.TargetRowsAsync()).Count);
    }

    [Fact]
    public async Task Verify_SourceRowDeletedWithDeletesApply_RepairDeletesItAndSaysHowMany()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "postgres");
        await scenario.Runner().RunAsync(scenario.Job(more: "deletes: apply"), restart: false);
        await scenario.Source.ExecuteAsync("DELETE FROM customers WHERE tenant = 2 AND id = 87");

        var found = await CliRun.RunAsync("backfill", "verify", "customers", "--chunk-size", "4", "--store", scenario.StoreLocation);
        var repair = await CliRun.RunAsync("backfill", "verify", "customers", "--repair", "--chunk-size", "4", "--store", scenario.StoreLocation);
        var after = await CliRun.RunAsync("backfill", "verify", "customers", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.Mismatched, found.ExitCode);
        Assert.Contains("  extra      (2, 87)", found.Out, StringComparison.Ordinal);
        Assert.Contains("Run `cutover backfill verify customers --repair` to copy the differing chunks again and delete the extra target rows (the job has deletes: apply).", found.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, repair.ExitCode);
        Assert.Contains("; 0 rows copied again, 1 extra row deleted, 0 still differ", repair.Out, StringComparison.Ordinal);
        Assert.Contains("Repair copied 0 source rows again and deleted 1 extra target row; 0 rows still differ.", repair.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, after.ExitCode);
        Assert.Equal(CustomersScenario.Rows - 1, (await scenario.TargetRowsAsync()).Count);
    }

    [Fact]
    public async Task Verify_BadChunkSizeOrUnknownJob_ExitsWithWhatToDo()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");

        var zero = await CliRun.RunAsync("backfill", "verify", "customers", "--chunk-size", "0", "--store", scenario.StoreLocation);
        var unknown = await CliRun.RunAsync("backfill", "verify", "customers", "--store", scenario.StoreLocation);

        Assert.Equal(ExitCodes.BadInput, zero.ExitCode);
        Assert.Contains("error: --chunk-size must be from 1 to 1,000,000 keys, not 0; the default is 10,000.", zero.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, unknown.ExitCode);
        Assert.StartsWith("error: There is no backfill job 'customers' in ", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AfterAVerify_ShowsItsResultWithTheFirstDifferingKeys_UntilTheNextVerify()
    {
        await using var scenario = await CopiedAsync("sqlite", "sqlite");
        var before = await CliRun.RunAsync("backfill", "status", "customers", "--store", scenario.StoreLocation);
        await scenario.Target.ExecuteAsync("UPDATE clients SET full_name = 'Changed' WHERE tenant_id = 2 AND client_id = 87");
        await scenario.Target.ExecuteAsync("DELETE FROM clients WHERE tenant_id = 3 AND client_id = 98");

        await CliRun.RunAsync("backfill", "verify", "customers", "--store", scenario.StoreLocation);
        var found = await CliRun.RunAsync("backfill", "status", "customers", "--store", scenario.StoreLocation);
        var json = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);
        await CliRun.RunAsync("backfill", "verify", "customers", "--repair", "--store", scenario.StoreLocation);
        var repaired = await CliRun.RunAsync("backfill", "status", "customers", "--store", scenario.StoreLocation);

        Assert.DoesNotContain("last verified", before.Out, StringComparison.Ordinal);
        Assert.Matches(@"customers: last verified \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(job completed\): 2 rows differ \(1 missing, 0 extra, 1 different\) of 25 source rows; first: \(2, 87\) different \[full_name\], \(3, 98\) missing", found.Out);
        using var document = JsonDocument.Parse(json.Out);
        var verify = document.RootElement.GetProperty("lastVerify");
        Assert.False(verify.GetProperty("identical").GetBoolean());
        Assert.Equal((25L, 24L, 1L, 1L), (verify.GetProperty("sourceRows").GetInt64(), verify.GetProperty("targetRows").GetInt64(), verify.GetProperty("missing").GetInt64(), verify.GetProperty("different").GetInt64()));
        Assert.Equal(["different (2, 87) full_name", "missing (3, 98) "], verify.GetProperty("firstDifferences").EnumerateArray().Select(d => $"{d.GetProperty("kind").GetString()} {d.GetProperty("key").GetString()} {string.Join(",", d.GetProperty("columns").EnumerateArray().Select(c => c.GetString()))}"));
        Assert.Contains("customers: last verified ", repaired.Out, StringComparison.Ordinal);
        Assert.Contains("2 rows differed (1 missing, 0 extra, 1 different) of 25 source rows; repaired: 25 rows copied again, 0 deleted, 0 still differ;", repaired.Out, StringComparison.Ordinal);
    }

    private static async Task<CustomersScenario> CopiedAsync(string source, string target)
    {
        var scenario = await CustomersScenario.CreateAsync(source, target);
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        return scenario;
    }
}
