using System.Net;
using System.Text.Json;
using Cutover.Testing;

namespace Cutover.Cli.Tests;

public sealed class AdminCommandTests : IAsyncLifetime
{
    private RunningCutover _cutover = null!;

    public async Task InitializeAsync() => _cutover = await RunningCutover.StartAsync();

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public async Task Status_PrintsATableOfMigrations()
    {
        var run = await CliRun.RunAsync("status", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("NAME", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"orders\s+—\s+normal\s+canary\s+10%\s+—\s+0/0\s+0/0\s+—\s+1", run.Out);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task StatusJson_PrintsNameModeAndWeight()
    {
        var run = await CliRun.RunAsync("status", "--json", "--admin", _cutover.Admin);

        var orders = JsonDocument.Parse(run.Out).RootElement[0];
        Assert.Equal("orders", orders.GetProperty("name").GetString());
        Assert.Equal("canary", orders.GetProperty("mode").GetString());
        Assert.Equal(10, orders.GetProperty("weight").GetDouble());
    }

    [Fact]
    public async Task StatusOfOneMigration_Json_IsAnObject()
    {
        var run = await CliRun.RunAsync("status", "orders", "--json", "--admin", _cutover.Admin);

        Assert.Equal("orders", JsonDocument.Parse(run.Out).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Weight_WithReason_ChangesStateAndIsAudited()
    {
        var run = await CliRun.RunAsync("weight", "orders", "25", "--reason", "error rate flat", "--actor", "alice", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("orders: mode canary, weight 25% (version 2)", run.Out.Trim());
        var audit = await CliRun.RunAsync("audit", "orders", "--json", "--admin", _cutover.Admin);
        var row = JsonDocument.Parse(audit.Out).RootElement[0];
        Assert.Equal("local (on behalf of alice)", row.GetProperty("actor").GetString());
        Assert.Equal("error rate flat", row.GetProperty("reason").GetString());
        Assert.Equal("mode=canary weight=25", row.GetProperty("after").GetString());
    }

    [Fact]
    public async Task ModeAndRollback_PrintTheNewState()
    {
        var mode = await CliRun.RunAsync("mode", "orders", "candidate", "-r", "green", "--admin", _cutover.Admin);
        var rollback = await CliRun.RunAsync("rollback", "orders", "-r", "bad", "--admin", _cutover.Admin);

        Assert.Equal("orders: mode candidate, weight 10% (version 2)", mode.Out.Trim());
        Assert.Equal("orders: mode legacy, weight 0% (version 3)", rollback.Out.Trim());
    }

    [Fact]
    public async Task Report_AfterARollback_PrintsTheFailureReportAsJson()
    {
        await CliRun.RunAsync("rollback", "orders", "-r", "p99 \u001b[31mdoubled", "--admin", _cutover.Admin);

        var run = await CliRun.RunAsync("report", "orders", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        var report = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("p99 \u001b[31mdoubled", report.GetProperty("reason").GetString());
        Assert.Equal("mode=canary weight=10", report.GetProperty("before").GetString());
        Assert.Equal(JsonValueKind.Array, report.GetProperty("timeline").ValueKind);
        // The escape the reason carries is shown as text, never sent to the terminal.
        Assert.DoesNotContain('\u001b', run.Out);
    }

    [Fact]
    public async Task Report_NeverRolledBack_SaysSoAndExits1()
    {
        var run = await CliRun.RunAsync("report", "orders", "--admin", _cutover.Admin);

        Assert.Equal((1, "error: Migration 'orders' has never been rolled back, so there is no failure report."), (run.ExitCode, run.Error.Trim()));
    }

    [Fact]
    public async Task Audit_Table_ShowsBeforeAndAfter()
    {
        await CliRun.RunAsync("weight", "orders", "50", "-r", "halfway", "--admin", _cutover.Admin);

        var run = await CliRun.RunAsync("audit", "--admin", _cutover.Admin);

        Assert.Matches(@"orders\s+local\s+weight\s+mode=canary weight=10 -> mode=canary weight=50\s+halfway", run.Out);
        Assert.Matches(@"orders\s+cutover\s+seed\s+mode=canary weight=10", run.Out);
    }

    [Theory]
    [InlineData("lots", "error: weight 'lots' is not a percentage between 0 and 100 (e.g. 25)")]
    [InlineData("101", "error: weight '101' is not a percentage between 0 and 100 (e.g. 25)")]
    public async Task Weight_BadPercent_ExitsWithBadInputAndChangesNothing(string percent, string message)
    {
        var run = await CliRun.RunAsync("weight", "orders", percent, "--admin", _cutover.Admin);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(message, run.Error.Trim());
        Assert.Equal(10, _cutover.Host.Control.Get("orders").Weight.Percent);
    }

    [Fact]
    public async Task Mode_Unknown_ListsTheModes()
    {
        var run = await CliRun.RunAsync("mode", "orders", "blue", "--admin", _cutover.Admin);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: mode 'blue' is not one of legacy, shadow, canary, candidate or retired", run.Error.Trim());
    }

    [Fact]
    public async Task Diff_BeforeShadowing_SaysHowToStartIt()
    {
        var run = await CliRun.RunAsync("diff", "orders", "--admin", _cutover.Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("orders (mode canary), this Cutover process: mirrored 0, compared 0, divergent 0, dropped 0", run.Out, StringComparison.Ordinal);
        Assert.Contains("Nothing compared yet.", run.Out, StringComparison.Ordinal);
        Assert.Contains("`cutover mode orders shadow`", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMigration_PrintsTheApisExplanation()
    {
        var run = await CliRun.RunAsync("rollback", "nope", "--admin", _cutover.Admin);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: There is no migration named 'nope'. Known migrations: orders.", run.Error.Trim());
    }

    [Fact]
    public async Task UnreachableAdmin_PrintsOneLineAndExits3()
    {
        var closed = LoopbackPorts.Closed();

        var run = await CliRun.RunAsync("status", "--admin", $"http://127.0.0.1:{closed}");

        Assert.Equal(3, run.ExitCode);
        Assert.Empty(run.Out);
        var line = Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith($"error: cannot reach the Cutover admin API at http://127.0.0.1:{closed}/ (ConnectionRefused).", line, StringComparison.Ordinal);
        Assert.Contains("--admin or CUTOVER_ADMIN", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminNotAUrl_IsBadInput()
    {
        var run = await CliRun.RunAsync("status", "--admin", "localhost:8081");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--admin 'localhost:8081' is not an http:// or https:// address", run.Error, StringComparison.Ordinal);
    }
}
