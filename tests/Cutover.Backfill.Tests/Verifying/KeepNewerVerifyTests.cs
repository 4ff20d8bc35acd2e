using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Verifying;

namespace Cutover.Backfill.Tests.Verifying;

public sealed class KeepNewerVerifyTests
{
    [Theory]
    [MemberData(nameof(BackfillVerifierTests.CrossEngine), MemberType = typeof(BackfillVerifierTests))]
    [InlineData("postgres", "postgres")]
    [InlineData("sqlite", "sqlite")]
    public async Task VerifyAsync_TargetRowsNewerThanTheSource_CountAheadNotDifferent_AndRepairKeepsThem(string source, string target)
    {
        await using var scenario = await ProfilesScenario.CreateAsync(
            source, target, "1, 'Source One', 10", "2, 'Source Two', 10", "3, 'Source Three', 10", "4, 'Source Four', NULL", "5, 'Source Five', 10", "6, 'Source Six', 10");
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Target.ExecuteAsync("UPDATE user_profiles SET display_name = 'App One', version = 20 WHERE user_id = 1");
        await scenario.Target.ExecuteAsync("UPDATE user_profiles SET display_name = 'App Four', version = 1 WHERE user_id = 4");
        await scenario.Target.ExecuteAsync("UPDATE user_profiles SET display_name = 'Older Two', version = 7 WHERE user_id = 2");
        await scenario.Target.ExecuteAsync("UPDATE user_profiles SET display_name = 'Edited Five' WHERE user_id = 5");
        var verifier = new BackfillVerifier(scenario.Store, TimeProvider.System);

        var found = await verifier.VerifyAsync("profiles", repair: false, chunkSize: 3);
        var repaired = await verifier.VerifyAsync("profiles", repair: true, chunkSize: 3);
        var again = await verifier.VerifyAsync("profiles", repair: false, chunkSize: 3);

        Assert.Equal((0L, 0L, 2L, 2L, false), (found.Missing, found.Extra, found.Different, found.Ahead, found.Identical));
        Assert.Equal(["(2)", "(5)"], found.MismatchedChunks.SelectMany(c => c.Rows).Select(r => r.Key));
        Assert.Equal((2L, 0L, true), (repaired.Ahead, repaired.Remaining, repaired.Identical));
        Assert.Equal((2L, 0L, 0L, true), (again.Ahead, again.ChunksDiffering, again.Different, again.Identical));
        Assert.Equal(
            ["1|App One|20", "2|Source Two|10", "3|Source Three|10", "4|App Four|1", "5|Source Five|10", "6|Source Six|10"],
            await scenario.TargetRowsAsync());
        var stored = VerifyResult.Parse((await scenario.Store.GetBackfillAsync("profiles"))!.LastVerify)!;
        Assert.Equal((2L, true), (stored.Ahead, stored.Identical));
    }

    [Fact]
    public void Parse_ResultStoredBeforeAheadWasCounted_ReadsZeroAhead()
    {
        var stored = """{"at":"2026-12-07T13:00:00+00:00","identical":true,"repaired":false,"jobStatus":"completed","sourceRows":3,"targetRows":3,"missing":0,"extra":0,"different":0,"recopied":0,"deleted":0,"remaining":0,"firstDifferences":[]}""";

        var result = VerifyResult.Parse(stored)!;

        Assert.Equal((0L, true), (result.Ahead, result.Identical));
        Assert.Contains("\"ahead\":0", result.Encode(), StringComparison.Ordinal);
    }
}
