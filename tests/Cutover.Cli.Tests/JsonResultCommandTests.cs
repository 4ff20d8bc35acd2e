using System.CommandLine;
using System.Text.Json;
using Cutover.Cli.Output;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>
/// Every command that changes state takes <c>--json</c> and then prints its result as JSON instead of
/// a sentence: the command tree is walked, so a new command without it fails here.
/// </summary>
public sealed class JsonResultCommandTests : IAsyncLifetime
{
    // Run in this order on one migration with a plan, each leaving it where the next can act.
    private static readonly string[][] AdminChanges =
    [
        ["promote", "orders", "--force"],
        ["pause", "orders"],
        ["resume", "orders"],
        ["abort", "orders"],
        ["retry", "orders", "--force"],
        ["weight", "orders", "25"],
        ["mode", "orders", "shadow"],
        ["rollback", "orders"],
    ];

    private static readonly string[] ReadOnly = ["status", "audit", "diff", "check", "judge", "export", "report", "validate", "token list", "backfill status", "backfill verify"];

    // Long-running hosts: what they print is a log, not a result.
    private static readonly string[] Hosts = ["serve", "demo"];

    private RunningCutover _cutover = null!;

    public async Task InitializeAsync()
    {
        var backend = await LoopbackBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        _cutover = await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: / }
                legacy: {{backend.Urls.First()}}
                candidate: {{backend.Urls.First()}}
                plan:
                  steps:
                    - pause: { duration: 1h }
                    - weight: 100
            """, backend);
    }

    public async Task DisposeAsync() => await _cutover.DisposeAsync();

    [Fact]
    public void EveryCommandThatChangesState_TakesJson()
    {
        var commands = Leaves(CliApp.Root(new CliOutput(new StringWriter(), new StringWriter())), string.Empty).ToList();

        var changing = commands.Where(c => !Hosts.Contains(c.Path) && !ReadOnly.Contains(c.Path)).ToList();

        Assert.Contains(changing, c => c.Path == "backfill restore");
        Assert.All(changing, c => Assert.True(c.Command.Options.Any(o => o.Name == "--json"), $"'cutover {c.Path}' changes state but takes no --json"));
        // The admin API's changes are each run with --json below; the backfill ones need databases of their own.
        Assert.Equal(
            AdminChanges.Select(args => args[0]).Concat(["apply", "token create", "token revoke"]).Order(),
            changing.Select(c => c.Path).Where(path => !path.StartsWith("backfill ", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task EveryAdminChange_WithJson_PrintsTheResultAsJson()
    {
        foreach (var change in AdminChanges)
        {
            var run = await CliRun.RunAsync([.. change, "--json", "-r", "json test", "--admin", _cutover.Admin]);

            Assert.True(run.ExitCode == 0, $"{string.Join(' ', change)}: {run.Error}");
            var view = JsonDocument.Parse(run.Out).RootElement;
            Assert.Equal("orders", view.GetProperty("name").GetString());
            Assert.True(view.TryGetProperty("mode", out _), run.Out);
        }

        var file = Path.Combine(_cutover.Folder, "cutover.yaml");
        await File.WriteAllTextAsync(file, _cutover.Config);
        var apply = await CliRun.RunAsync("apply", "-f", file, "--json", "--admin", _cutover.Admin);
        Assert.True(apply.ExitCode == 0, apply.Error);
        Assert.Equal("orders", JsonDocument.Parse(apply.Out).RootElement.GetProperty("migrations")[0].GetProperty("name").GetString());

        var create = await CliRun.RunAsync("token", "create", "ci", "--role", "operator", "--json", "--admin", _cutover.Admin);
        Assert.True(create.ExitCode == 0, create.Error);
        Assert.StartsWith("cut_", JsonDocument.Parse(create.Out).RootElement.GetProperty("secret").GetString(), StringComparison.Ordinal);

        var revoke = await CliRun.RunAsync("token", "revoke", "ci", "--json", "--admin", _cutover.Admin);
        Assert.True(revoke.ExitCode == 0, revoke.Error);
        var revoked = JsonDocument.Parse(revoke.Out).RootElement;
        Assert.Equal(("ci", true), (revoked.GetProperty("name").GetString(), revoked.GetProperty("revoked").GetBoolean()));
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path) => command.Subcommands.Count == 0
        ? [(path, command)]
        : command.Subcommands.SelectMany(sub => Leaves(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}"));
}
