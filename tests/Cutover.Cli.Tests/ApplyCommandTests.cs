using System.Text.Json;

namespace Cutover.Cli.Tests;

/// <summary><c>cutover apply -f</c> against a real Cutover serving "orders" in canary at 10%.</summary>
public sealed class ApplyCommandTests : IAsyncLifetime
{
    private const string Plan = """

            plan:
              steps: [{ weight: 50 }, { weight: 100 }]
        """;

    private RunningCutover _cutover = null!;

    public async Task InitializeAsync() => _cutover = await RunningCutover.StartAsync();

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    /// <summary>Writes the running config, changed by <paramref name="change"/>, to a file and returns its path.</summary>
    private string File(Func<string, string> change)
    {
        var path = Path.Combine(_cutover.Folder, "apply.yaml");
        System.IO.File.WriteAllText(path, change(_cutover.Config));
        return path;
    }

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ChangedWeightAndANewPlan_PrintsEachChangeAndIsAudited()
    {
        var path = File(config => Replace(config, "weight: 10", "weight: 40") + Plan);

        var run = await CliRun.RunAsync("apply", "-f", path, "-r", "more traffic", "--actor", "alice", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            Applied apply.yaml:
              orders  weight: 10 → 40
                      plan: none → weight 50, weight 100
                      plan ready; `cutover promote orders` starts it
            """,
            run.Out.TrimEnd().ReplaceLineEndings("\n"));
        var audit = JsonDocument.Parse((await CliRun.RunAsync("audit", "orders", "--json", "--admin", _cutover.Admin)).Out).RootElement[0];
        Assert.Equal(("apply", "local (on behalf of alice)", "more traffic"), (audit.GetProperty("action").GetString(), audit.GetProperty("actor").GetString(), audit.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Apply_DryRunJson_PrintsWhatWouldChangeAndChangesNothing()
    {
        var path = File(config => Replace(config, "mode: canary", "mode: candidate"));

        var run = await CliRun.RunAsync("apply", "-f", path, "--dry-run", "--json", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        var result = JsonDocument.Parse(run.Out).RootElement;
        Assert.True(result.GetProperty("dryRun").GetBoolean());
        var change = result.GetProperty("migrations")[0].GetProperty("changes")[0];
        Assert.Equal(("mode", "canary", "candidate"), (change.GetProperty("field").GetString(), change.GetProperty("before").GetString(), change.GetProperty("after").GetString()));
        var status = JsonDocument.Parse((await CliRun.RunAsync("status", "orders", "--json", "--admin", _cutover.Admin)).Out).RootElement;
        Assert.Equal(("canary", 1L), (status.GetProperty("mode").GetString(), status.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Apply_DryRun_SaysSoAndWhatIsUnchanged()
    {
        var run = await CliRun.RunAsync("apply", "-f", File(config => config), "--dry-run", "--admin", _cutover.Admin);

        Assert.Equal(
            """
            Dry run: nothing was changed. Applying apply.yaml would do this:
              orders  unchanged
            """,
            run.Out.TrimEnd().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Apply_FileThatCannotBeRead_FailsNamingThePath()
    {
        var missing = Path.Combine(_cutover.Folder, "missing.yaml");

        var run = await CliRun.RunAsync("apply", "-f", missing, "--admin", _cutover.Admin);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: cannot read {missing}: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Give the config file to apply with -f PATH.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WithoutAFile_IsACommandLineError()
    {
        var run = await CliRun.RunAsync("apply", "--admin", _cutover.Admin);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_InvalidFile_ListsEveryProblemWithItsLine()
    {
        var path = File(config => Replace(Replace(config, "weight: 10", "weight: 150"), "mode: canary", "mode: halfway"));

        var run = await CliRun.RunAsync("apply", "-f", path, "--admin", _cutover.Admin);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("2 problems in the config:", run.Error, StringComparison.Ordinal);
        Assert.Contains("apply.yaml:5: migration 'orders': mode: 'halfway' is not a mode", run.Error, StringComparison.Ordinal);
        Assert.Contains("apply.yaml:5: migration 'orders': weight: 150 is outside 0..100", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ChangedBackend_FailsSayingToRestartAndChangesNothing()
    {
        var path = File(config => Replace(config, "weight: 10", "weight: 40") + "\n    stickyBy: client-ip");

        var run = await CliRun.RunAsync("apply", "-f", path, "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("apply.yaml cannot be applied while Cutover runs, so nothing was changed:", run.Error, StringComparison.Ordinal);
        Assert.Contains("  - migration 'orders': stickyBy differs from what runs, and only a restart changes it; restart `cutover serve` with the file to change it", run.Error, StringComparison.Ordinal);
        var status = JsonDocument.Parse((await CliRun.RunAsync("status", "orders", "--json", "--admin", _cutover.Admin)).Out).RootElement;
        Assert.Equal(10, status.GetProperty("weight").GetDouble());
    }
}
