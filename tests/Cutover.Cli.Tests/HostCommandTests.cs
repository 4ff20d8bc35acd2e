using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cutover.Testing;

namespace Cutover.Cli.Tests;

public sealed partial class HostCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-cli-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Validate_BadFile_ListsEveryProblemAndExits2()
    {
        var path = Write("bad.yaml", """
            migrations:
              - name: Orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
                weight: 150
            """);

        var run = await CliRun.RunAsync("validate", "-c", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("2 problems in the config:", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{path}:2: migration 'Orders': name: 'Orders' is not allowed", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{path}:2: migration 'Orders': weight: 150 is outside 0..100", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weight", "orders")]
    [InlineData("audit", "--limit", "many")]
    [InlineData("launch")]
    public async Task CommandLineMistake_ExitsWithBadInputAndPointsAtHelp(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_ListenNotAnAddress_ExitsWithBadInput()
    {
        var run = await CliRun.RunAsync("demo", "--listen", "port-8080");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --listen and --admin take addresses like http://127.0.0.1:8080", run.Error.Trim());
    }

    [Fact]
    public async Task Validate_GoodFile_SaysSo()
    {
        var path = Write("good.yaml", """
            migrations:
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:9001
                candidate: http://127.0.0.1:9002
            """);

        var run = await CliRun.RunAsync("validate", "-c", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{path} is valid: 1 migration(s).", run.Out.Trim());
    }

    [Fact]
    public async Task Validate_FileWithWebhooks_CountsThem()
    {
        var path = Write("hooks.yaml", """
            migrations: []
            notifications:
              webhooks:
                - url: https://hooks.example.com/a
                - { url: "https://hooks.slack.com/services/x", format: slack }
            """);

        var run = await CliRun.RunAsync("validate", "-c", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{path} is valid: 0 migration(s), 2 webhook(s).", run.Out.Trim());
    }

    [Fact]
    public async Task Serve_BadConfig_NeverStartsAndExits2()
    {
        var path = Write("bad.yaml", "migrations:\n  - name: x\n    mode: nope\n");

        var run = await CliRun.RunAsync("serve", "-c", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("mode: 'nope' is not a mode", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_AddressInUse_SaysWhichAndExits1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var (port, path) = ConfigListeningOn(taken);

        var run = await CliRun.RunAsync("serve", "-c", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", run.Error, StringComparison.Ordinal);
        Assert.Contains("Stop the process using that address, or change 'listen'/'admin'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_AddressInUse_PrintsTheErrorWithoutAStackTrace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var (port, path) = ConfigListeningOn(taken);
        using var server = CutoverProcess.Start("serve", "-c", path);

        Assert.Equal(1, await server.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"error: Failed to bind to address http://127.0.0.1:{port}: address already in use.", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MaxAdminConnections_IsTheAdminApisLimit()
    {
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}");
        var path = Write("fleet.yaml", $"""
            listen: http://127.0.0.1:{LoopbackPorts.Closed()}
            admin: {admin}
            store: sqlite:{Path.Combine(_folder, "fleet.db")}
            migrations: []
            """);
        using var server = CutoverProcess.Start("serve", "-c", path, "--max-admin-connections", "3000");
        await server.WaitForReadyAsync(admin);

        await server.InterruptAsync();
        Assert.Equal(0, await server.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("the admin API 3000; more are refused", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MaxAdminConnectionsBelowOne_ExitsWithBadInput()
    {
        var path = Write("fleet.yaml", "migrations: []\n");

        var run = await CliRun.RunAsync("serve", "-c", path, "--max-admin-connections", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--max-admin-connections must be at least 1, not 0", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_CandidateOutage_LogsOneLineWithoutStackTraceForManyFailures()
    {
        var listen = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}");
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}");
        var path = Write("outage.yaml", $"""
            listen: {listen}
            admin: {admin}
            store: sqlite:{Path.Combine(_folder, "outage.db")}
            migrations:
              - name: orders
                match: {"{"} pathPrefix: /orders {"}"}
                legacy: http://127.0.0.1:{LoopbackPorts.Closed()}
                candidate: http://127.0.0.1:{LoopbackPorts.Closed()}
                mode: candidate
            """);
        using var server = CutoverProcess.Start("serve", "-c", path);
        await server.WaitForReadyAsync(admin);
        using var client = new HttpClient { BaseAddress = listen };

        for (var i = 0; i < 200; i++)
        {
            using var response = await client.GetAsync(new Uri("/orders/1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        await server.InterruptAsync();
        Assert.Equal(0, await server.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        var failures = server.Output.Split('\n').Where(line => line.Contains("the candidate backend could not be reached", StringComparison.Ordinal)).ToList();
        Assert.InRange(failures.Count, 1, 3);
        Assert.Contains("Failures like this are counted", failures[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_GoodConfig_ServesUntilCancelled()
    {
        var path = Write("good.yaml", $"""
            listen: http://127.0.0.1:0
            admin: http://127.0.0.1:0
            store: sqlite:{Path.Combine(_folder, "serve.db")}
            migrations: []
            """);
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var serving = Cutover.Cli.CliApp.RunAsync(["serve", "-c", path], new Cutover.Cli.Output.CliOutput(output, TextWriter.Null), stop.Token);

        var admin = await WaitForAsync(output, AdminPattern());
        using var client = new HttpClient();
        var ready = await client.GetAsync(new Uri(new Uri(admin), "/readyz"));
        await stop.CancelAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(0, await serving.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Demo_ServesBothSampleBackendsThroughTheProxy()
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var demo = Cutover.Cli.CliApp.RunAsync(
            ["demo", "--listen", "http://127.0.0.1:0", "--admin", "http://127.0.0.1:0"], new Cutover.Cli.Output.CliOutput(output, TextWriter.Null), stop.Token);

        var proxy = await WaitForAsync(output, ProxyPattern());
        using var client = new HttpClient();
        var servedBy = new HashSet<string>();
        for (var user = 0; user < 100; user++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(proxy), "/orders/1"));
            request.Headers.Add("X-User-Id", $"user-{user}");
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            servedBy.Add(response.Headers.GetValues("X-Served-By").Single());
        }

        await stop.CancelAsync();

        Assert.Equal(["orders-v1 (legacy)", "orders-v2 (candidate)"], servedBy.Order());
        Assert.Equal(0, await demo.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("./cutover weight orders 50", output.ToString(), StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<string> WaitForAsync(StringWriter output, Regex pattern)
    {
        for (var i = 0; i < 300; i++)
        {
            var match = pattern.Match(output.ToString());
            if (match.Success)
            {
                return match.Groups[1].Value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The command never printed its address. Output so far:\n{output}");
    }

    [GeneratedRegex(@"admin API (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex AdminPattern();

    [GeneratedRegex(@"proxy\s+(http://127\.0\.0\.1:\d+)")]
    private static partial Regex ProxyPattern();

    /// <summary>A config whose data plane listens on the port <paramref name="taken"/> already holds.</summary>
    private (int Port, string Path) ConfigListeningOn(TcpListener taken)
    {
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        return (port, Write("taken.yaml", $"""
            listen: http://127.0.0.1:{port}
            admin: http://127.0.0.1:0
            store: sqlite:{Path.Combine(_folder, "taken.db")}
            migrations: []
            """));
    }
}
