using Cutover.Backfill.Jobs;
using Cutover.Backfill.Schema;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Backfill.Tests.Running;

namespace Cutover.Backfill.Tests.Targets;

public sealed class KeepNewerTests
{
    /// <summary>Source rows: 1 to 4 and 6 at version 10, 5 and 7 without one.</summary>
    private static readonly string[] SourceRows =
        ["1, 'Source One', 10", "2, 'Source Two', 10", "3, 'Source Three', 10", "4, 'Source Four', 10", "5, 'Source Five', NULL", "6, 'Source Six', 10", "7, 'Source Seven', NULL"];

    /// <summary>What the new application wrote first: 1 newer, 2 older, 3 without a version, 4 as new, 5 with one where the source has none.</summary>
    private const string AppRows = "INSERT INTO user_profiles VALUES (1, 'App One', 20), (2, 'Stale Two', 5), (3, 'Null Three', NULL), (4, 'Tie Four', 10), (5, 'App Five', 1)";

    [Theory]
    [MemberData(nameof(BackfillRunnerTests.Pairings), MemberType = typeof(BackfillRunnerTests))]
    public async Task RunAsync_KeepNewer_KeepsTargetRowsAsNewOrNewerAndReplacesOlderOnes(string source, string target)
    {
        await using var scenario = await ProfilesScenario.CreateAsync(source, target, SourceRows);
        await scenario.Target.ExecuteAsync(AppRows);

        await scenario.Runner().RunAsync(scenario.Job(), restart: false);

        Assert.Equal(
            ["1|App One|20", "2|Source Two|10", "3|Source Three|10", "4|Tie Four|10", "5|App Five|1", "6|Source Six|10", "7|Source Seven|null"],
            await scenario.TargetRowsAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RunAsync_WithoutKeepNewer_OverwritesEveryTargetRow(string target)
    {
        await using var scenario = await ProfilesScenario.CreateAsync("sqlite", target, SourceRows);
        await scenario.Target.ExecuteAsync(AppRows);

        await scenario.Runner().RunAsync(scenario.Job(keepNewer: false), restart: false);

        Assert.Equal(
            ["1|Source One|10", "2|Source Two|10", "3|Source Three|10", "4|Source Four|10", "5|Source Five|null", "6|Source Six|10", "7|Source Seven|null"],
            await scenario.TargetRowsAsync());
    }

    [Theory]
    [MemberData(nameof(BackfillRunnerTests.Pairings), MemberType = typeof(BackfillRunnerTests))]
    public async Task CatchUpAsync_LateSourceWriteOfARowTheTargetHasNewer_DoesNotOverwriteIt(string source, string target)
    {
        await using var scenario = await ProfilesScenario.CreateAsync(source, target, SourceRows);
        await scenario.Runner().RunAsync(scenario.Job(), restart: false);
        await scenario.Target.ExecuteAsync("UPDATE user_profiles SET display_name = 'App Two', version = 100 WHERE user_id = 2");
        await scenario.Source.ExecuteAsync("UPDATE profiles SET name = 'Late Two', updated_at = 50 WHERE id = 2");
        await scenario.Source.ExecuteAsync("UPDATE profiles SET name = 'Later Six', updated_at = 60 WHERE id = 6");

        var result = await scenario.Runner().CatchUpAsync("profiles");

        Assert.Equal([2L], result.PassRows);
        var rows = await scenario.TargetRowsAsync();
        Assert.Contains("2|App Two|100", rows);
        Assert.Contains("6|Later Six|60", rows);
    }

    [Fact]
    public async Task RunAsync_KeepNewerColumnOfText_OnPostgres_IsRefusedNamingTheColumnAndTheFix()
    {
        await using var scenario = await ProfilesScenario.CreateAsync("sqlite", "postgres", SourceRows);
        await scenario.Target.ExecuteAsync("ALTER TABLE user_profiles ALTER COLUMN version TYPE text");

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => scenario.Runner().RunAsync(scenario.Job(), restart: false));

        Assert.Equal(
            ["onConflict.keepNewer: target column 'version' (text) does not say which row is newer; name a column of numbers or times, e.g. an updated_at timestamp or a version number raised by every write."],
            error.Mismatches);
    }

    [Fact]
    public void Parse_OnConflictKeepNewer_NamesTheTargetColumnAsColumnsSpellsIt()
    {
        var job = BackfillJobFile.Parse("""
            name: profiles
            source: { store: "sqlite:legacy.db", table: profiles, key: [id] }
            target: { store: "sqlite:new.db", table: user_profiles }
            columns: { user_id: id, version: updated_at }
            onConflict: { keepNewer: Version }
            """, "job.yaml");

        Assert.Equal(("version", 1), (job.KeepNewer, job.KeepNewerColumn));
    }

    [Fact]
    public void Parse_BadKeepNewer_NamesEachProblemWithItsLineAndFix()
    {
        static IEnumerable<string> Errors(string onConflict) => Assert.Throws<BackfillJobException>(() => BackfillJobFile.Parse($"""
            name: profiles
            source: {"{"} store: "sqlite:legacy.db", table: profiles, key: [id] {"}"}
            target: {"{"} store: "sqlite:new.db", table: user_profiles {"}"}
            columns: {"{"} user_id: id, version: updated_at {"}"}
            {onConflict}
            """, "job.yaml")).Errors.Select(e => e.ToString());

        Assert.Equal(
            ["job.yaml:5: onConflict.keepNewer: 'updated_at' is not a target column of columns (columns maps user_id, version); name the one that holds each row's version or change time, or map it, e.g. 'updated_at: updated_at' under columns"],
            Errors("onConflict: { keepNewer: updated_at }"));
        Assert.Equal(
            ["job.yaml:5: onConflict.keepNewer: 'user_id' is a key column (source.key 'id' is copied to it), the same in both rows it would compare; name a column that grows with every change of a row, e.g. updated_at"],
            Errors("onConflict: { keepNewer: user_id }"));
        Assert.Equal(
            ["job.yaml:5: onConflict.keepNewer: 'max(version)' is not a column name; name a target column of columns whose value grows with every change of a row, e.g. 'keepNewer: version'"],
            Errors("onConflict: { keepNewer: \"max(version)\" }"));
        Assert.Equal(
            ["job.yaml:5: onConflict: sets nothing; add 'keepNewer: COLUMN' (the target column that grows with every change of a row, e.g. 'keepNewer: version'), or remove the section to overwrite target rows"],
            Errors("onConflict: {}"));
        Assert.Equal(
            ["job.yaml:5: onConflict.keepOlder: unknown key; did you mean 'keepNewer'? Allowed keys here: keepNewer"],
            Errors("onConflict: { keepOlder: version }"));
        Assert.Equal(
            ["job.yaml:5: onConflict: expected a mapping of keys (keepNewer), found 'version'"],
            Errors("onConflict: version"));
    }
}
