using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Core.Security;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Cutover.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests;

/// <summary><c>cutover token</c> and <c>--token</c>: the first admin token made on the store, the rest through the admin API, and what a refused call says.</summary>
public sealed class TokenCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-cli-tokens-").FullName;

    private string Store => "sqlite:" + Path.Combine(_folder, "cutover.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FirstTokenOnTheStore_ThenTokensThroughTheApi_EachRoleDoingWhatItMay()
    {
        var first = await CliRun.RunAsync("token", "create", "root", "--role", "admin", "--store", Store, "--reason", "bootstrap");
        Assert.Equal(0, first.ExitCode);
        var root = TokenIn(first.Out);
        Assert.Contains("Token 'root' made: role admin, every migration, never expires. It is shown this once", first.Out, StringComparison.Ordinal);
        await using var host = await StartAsync();
        var admin = host.AdminAddress.ToString();

        var anonymous = await CliRun.RunAsync("status", "--admin", admin);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("This admin API takes tokens and no token was sent.", anonymous.Error, StringComparison.Ordinal);
        Assert.Contains("Give the CLI a token with --token or CUTOVER_TOKEN.", anonymous.Error, StringComparison.Ordinal);

        var made = await CliRun.RunAsync("token", "create", "dash", "--role", "viewer", "--expires", "30d", "--json", "--admin", admin, "--token", root);
        Assert.Equal(0, made.ExitCode);
        var viewer = JsonDocument.Parse(made.Out).RootElement.GetProperty("secret").GetString()!;
        Assert.True(AccessToken.IsWellFormed(viewer));

        Assert.Equal(0, (await CliRun.RunAsync("status", "--admin", admin, "--token", viewer)).ExitCode);
        var refused = await CliRun.RunAsync("weight", "orders", "50", "--admin", admin, "--token", viewer);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Token 'dash' has role viewer; POST /api/migrations/orders/weight needs role operator or admin.", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Run it with a token of role operator or admin (--token or CUTOVER_TOKEN).", refused.Error, StringComparison.Ordinal);

        var list = await CliRun.RunAsync("token", "list", "--admin", admin, "--token", root);
        Assert.Matches(@"dash\s+viewer\s+" + viewer[..AccessToken.PrefixLength] + @"\s+all\s+\d{4}-", list.Out);
        Assert.DoesNotContain(viewer, list.Out, StringComparison.Ordinal);

        var revoke = await CliRun.RunAsync("token", "revoke", "dash", "--admin", admin, "--token", root, "-r", "rotated");
        Assert.Equal(("Token 'dash' revoked.", 0), (revoke.Out.Trim(), revoke.ExitCode));
        var afterRevoke = await CliRun.RunAsync("status", "--admin", admin, "--token", viewer);
        Assert.Contains("the token is unknown or was revoked", afterRevoke.Error, StringComparison.Ordinal);

        var audit = await CliRun.RunAsync("audit", "--json", "--admin", admin, "--token", root);
        var rows = JsonDocument.Parse(audit.Out).RootElement.EnumerateArray().Select(r => (r.GetProperty("action").GetString(), r.GetProperty("actor").GetString())).ToList();
        Assert.Equal([("token-revoke", "root"), ("token-create", "root")], rows.Take(2));
        Assert.Contains(rows, r => r.Item1 == "token-create" && r.Item2!.StartsWith("store (on behalf of ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenCreate_BadInput_NamesEveryProblemAndMakesNothing()
    {
        var run = await CliRun.RunAsync("token", "create", "Root", "--role", "boss", "--expires", "forever", "--store", Store);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            [
                "error: 'Root' is not a token name; use 1 to 63 lowercase letters, digits and dashes, like ci-deploy",
                "error: 'boss' is not a role; use viewer, reporter, operator or admin",
                "error: 'forever' is not an expiry; use a number of days like 30d, or a duration like 12h",
            ],
            run.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("No tokens.", (await CliRun.RunAsync("token", "list", "--store", Store)).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_PointedAtTheDataPlane_IsRefusedSayingItLooksLikeTheDataPlane()
    {
        await using var cutover = await RunningCutover.StartAsync();
        var dataPlane = cutover.Host.DataPlaneAddress.ToString();

        var run = await CliRun.RunAsync("rollback", "orders", "--admin", dataPlane);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{dataPlane} answered, but not as the Cutover admin API (the answer has no X-Cutover-Admin header)", run.Error, StringComparison.Ordinal);
        Assert.Contains("it looks like Cutover's data plane (the config's 'listen'", run.Error, StringComparison.Ordinal);
    }

    private static string TokenIn(string output) =>
        output.Split('\n', StringSplitOptions.TrimEntries).Single(line => AccessToken.IsWellFormed(line));

    private async Task<CutoverHost> StartAsync()
    {
        var config = $"""
            listen: http://127.0.0.1:0
            admin: http://127.0.0.1:0
            adminAuth: tokens
            store: {Store}
            migrations:
              - name: orders
                match: {"{"} pathPrefix: / {"}"}
                legacy: http://127.0.0.1:{LoopbackPorts.Closed()}
                candidate: http://127.0.0.1:{LoopbackPorts.Closed()}
                mode: canary
                weight: 10
            """;
        return await CutoverHost.StartAsync(ConfigLoader.Load(config, "cli-test.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Warning });
    }
}
