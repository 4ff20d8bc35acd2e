using System.Text.Json;
using Cutover.Testing;

namespace Cutover.Cli.Tests;

/// <summary>
/// <c>cutover status --watch</c> as a user runs it: a real <c>cutover serve</c> process, the
/// watch as a process of its own with its output in a pipe (one line per change), changes made
/// with the CLI, the server killed and started again under the watch, and Ctrl+C.
/// </summary>
public sealed class StatusWatchCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-watch-").FullName;
    private readonly Uri _admin = new($"http://127.0.0.1:{LoopbackPorts.Closed()}/");
    private readonly string _config;

    public StatusWatchCommandTests() => _config = Config(_admin);

    [Fact]
    public async Task StatusWatch_WeightChanged_PrintsALineWithinASecondAndCtrlCExitsCleanly()
    {
        using var server = await ServeAsync();
        using var watch = CutoverProcess.Start("status", "--watch", "--admin", _admin.ToString());
        await watch.WaitForOutputAsync(o => o.Contains("Changes (Ctrl+C stops):", StringComparison.Ordinal), Patience);
        Assert.Matches(@"billing-tax\s+—\s+normal\s+legacy\s+0%", watch.Output);

        await Succeeds("weight", "billing-tax", "50", "-r", "half the customers");
        var took = await watch.WaitForOutputAsync(o => o.Contains("billing-tax  canary 50%  plan —  version 2", StringComparison.Ordinal), Patience);
        Assert.True(took < TimeSpan.FromSeconds(1), $"the change took {took} to show:\n{watch.Output}");

        await watch.InterruptAsync();
        Assert.Equal(130, await watch.ExitCodeAsync(TimeSpan.FromSeconds(2))); // the shell's code for a command ended by Ctrl+C
        Assert.DoesNotContain("error", watch.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StatusWatch_ServerComesBack_ReconnectsAndShowsTheChangesMadeMeanwhile()
    {
        var server = await ServeAsync();
        using var watch = CutoverProcess.Start("status", "billing-tax", "--watch", "--admin", _admin.ToString());
        await watch.WaitForOutputAsync(o => o.Contains("Changes (Ctrl+C stops):", StringComparison.Ordinal), Patience);

        await server.KillAsync();
        server.Dispose();
        await watch.WaitForOutputAsync(o => o.Contains("reconnecting until it answers", StringComparison.Ordinal), Patience);
        Assert.False(watch.HasExited, watch.Output);

        // Changed where the watch cannot see it: a server on the same store at another admin address.
        var elsewhere = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/");
        using (var offline = await ServeAsync(Config(elsewhere), elsewhere))
        {
            var run = await CliRun.RunAsync("mode", "billing-tax", "shadow", "--admin", elsewhere.ToString());
            Assert.True(run.ExitCode == 0, run.Error);
            await offline.KillAsync();
        }

        using var again = await ServeAsync();
        await watch.WaitForOutputAsync(o => o.Contains("billing-tax  shadow 0%", StringComparison.Ordinal), Patience);
        await Succeeds("weight", "billing-tax", "20");
        await watch.WaitForOutputAsync(o => o.Contains("billing-tax  canary 20%", StringComparison.Ordinal), Patience);
        Assert.Contains("watch: reconnected.", watch.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("invoices-pdf", watch.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWatch_JsonWithGroup_PrintsEachChangeAsOneLineOfTheMigrationsViewFilteredByGroup()
    {
        using var server = await ServeAsync();
        using var watch = CutoverProcess.Start("status", "--group", "documents", "--watch", "--json", "--admin", _admin.ToString());
        await watch.WaitForOutputAsync(o => o.Contains("\"name\":\"invoices-pdf\"", StringComparison.Ordinal), Patience);

        await Succeeds("weight", "billing-tax", "10");
        await Succeeds("mode", "invoices-pdf", "candidate");
        await watch.WaitForOutputAsync(o => o.Contains("\"mode\":\"candidate\"", StringComparison.Ordinal), Patience);

        var lines = watch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["legacy", "candidate"], lines.Select(l => l.GetProperty("mode").GetString()));
        Assert.All(lines, l => Assert.Equal("invoices-pdf", l.GetProperty("name").GetString()));
        Assert.Equal(2, lines[1].GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task StatusWatch_AdminApiUnreachable_FailsNamingItAndTheFix()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed()}";

        var run = await CliRun.RunAsync("status", "--watch", "--admin", closed);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"cannot reach the Cutover admin API at {closed}/", run.Error, StringComparison.Ordinal);
        Assert.Contains("point --admin or CUTOVER_ADMIN at its admin address", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--admin", "127.0.0.1:8081", "--admin '127.0.0.1:8081' is not an http:// or https:// address")]
    [InlineData("--summary", null, "--watch follows the migrations' changes, not the fleet summary; leave out --summary")]
    public async Task StatusWatch_BadArguments_AreRefusedWithTheFix(string option, string? value, string error)
    {
        var run = await CliRun.RunAsync(value is null ? ["status", "--watch", option] : ["status", "--watch", option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWatch_CtrlCBeforeAnyChange_EndsWithSuccess()
    {
        using var server = await ServeAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var run = await CliRun.RunAsync(stop.Token, "status", "--watch", "--admin", _admin.ToString());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Changes (Ctrl+C stops):", run.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<CutoverProcess> ServeAsync() => ServeAsync(_config, _admin);

    private static async Task<CutoverProcess> ServeAsync(string config, Uri admin)
    {
        var server = CutoverProcess.Start("serve", "-c", config);
        await server.WaitForReadyAsync(admin);
        return server;
    }

    /// <summary>A config file of two code-level migrations on this test's store, with its admin API at <paramref name="admin"/>.</summary>
    private string Config(Uri admin) => ServeConfig.Write(_folder, admin, """
          - name: billing-tax
            kind: code
          - name: invoices-pdf
            kind: code
            group: documents
        """);

    private async Task Succeeds(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--admin", _admin.ToString()]);
        Assert.True(run.ExitCode == 0, run.Error);
    }
}
