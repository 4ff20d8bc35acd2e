using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cutover.Backfill.Tests.Infrastructure;
using Cutover.Cli.Output;
using Cutover.Cli.Text;
using Cutover.Store;
using Cutover.Testing;
using Microsoft.AspNetCore.Http;

namespace Cutover.Cli.Tests;

/// <summary>
/// Text from outside never reaches a terminal raw: a reason, an actor, a backend's body and header
/// holding escape sequences (clear screen, window title, 8-bit CSI) and a bidirectional override
/// are printed cleaned by <c>audit</c>, <c>status</c>, the change commands, <c>diff</c> and
/// <c>backfill status</c>, and kept (escaped) by <c>--json</c>.
/// </summary>
public sealed class OutsideTextTests : IDisposable
{
    /// <summary>Clears the screen, retitles the window, turns the text red and reverses the rest.</summary>
    private const string Hostile = "fix \u001b[2Jrates\u001b]0;pwned\u0007 now \u009b31mred\u202Eowt";

    /// <summary>What a person should read of <see cref="Hostile"/>.</summary>
    private const string Visible = "fix rates now redowt";

    private const string HostileActor = "\u001b]0;pwned\u001b\\mallory\u001b[2J\u2066";

    /// <summary>A header value a backend can send: an 8-bit CSI (clear screen) and an 8-bit OSC (window title).</summary>
    private const string HostileHeader = "2\u009b2J\u009d0;pwned\u009c";

    /// <summary>A request header a client can send (ASCII only, as HTTP clients insist).</summary>
    private const string HostileRequestHeader = "note \u001b]0;pwned\u0007\u001b[2J";

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-outside-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Audit_ReasonAndActorWithEscapes_PrintsThemCleaned_AndJsonKeepsThemEscaped()
    {
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/");
        using var server = await ServeAsync(admin);
        await Succeeds(admin, "weight", "orders", "25", "--reason", Hostile, "--actor", HostileActor);

        var table = await CliRun.RunAsync("audit", "orders", "--admin", admin.ToString());
        var json = await CliRun.RunAsync("audit", "orders", "--json", "--admin", admin.ToString());

        Assert.Equal(0, table.ExitCode);
        AssertSafe(table.Out);
        Assert.Matches(@"orders\s+local \(on behalf of mallory\)\s+weight\s+mode=legacy weight=0 -> mode=canary weight=25\tfix rates now redowt\n", table.Out);
        Assert.DoesNotContain("pwned", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("[2J", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("31m", table.Out, StringComparison.Ordinal);
        AssertSafe(json.Out);
        var row = JsonDocument.Parse(json.Out).RootElement[0];
        Assert.Equal(Hostile, row.GetProperty("reason").GetString());
        Assert.Equal($"local (on behalf of {HostileActor})", row.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Status_PlanAbortedWithEscapesInItsReason_PrintsNothingRaw_AndJsonKeepsTheReasonEscaped()
    {
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/");
        using var server = await ServeAsync(admin);
        await Succeeds(admin, "promote", "orders", "--force");

        var abort = await CliRun.RunAsync("abort", "orders", "--reason", Hostile, "--actor", HostileActor, "--admin", admin.ToString());
        var table = await CliRun.RunAsync("status", "orders", "--admin", admin.ToString());
        var json = await CliRun.RunAsync("status", "orders", "--json", "--admin", admin.ToString());

        Assert.Equal(0, abort.ExitCode);
        AssertSafe(abort.Out);
        Assert.EndsWith($"; plan aborted, step 1/2: pause 1h ({Visible})", abort.Out.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(0, table.ExitCode);
        AssertSafe(table.Out);
        Assert.Matches(@"orders\s+—\s+normal\s+legacy\s+0%\s+aborted 1/2", table.Out);
        AssertSafe(json.Out);
        Assert.Equal(Hostile, JsonDocument.Parse(json.Out).RootElement.GetProperty("plan").GetProperty("note").GetString());
    }

    [Fact]
    public async Task Rollback_ProblemQuotingEscapes_PrintsTheDetailCleaned()
    {
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/");
        using var server = await ServeAsync(admin);

        var run = await CliRun.RunAsync("rollback", "nope\u001b[2J\u009b31m\u202E", "--admin", admin.ToString());

        Assert.Equal(1, run.ExitCode);
        AssertSafe(run.Error);
        Assert.Equal("error: There is no migration named 'nope'. Known migrations: orders.", run.Error.Trim());
    }

    [Fact]
    public async Task Status_AdminAddressAnsweringEscapesInItsStatusLine_PrintsTheErrorCleaned()
    {
        // Not Cutover: something at --admin whose answer the HTTP client quotes in its error.
        using var impostor = new TcpListener(IPAddress.Loopback, 0);
        impostor.Start();
        var answered = AnswerOnceAsync(impostor, "HTTP/1.1 200\u001b]0;pwned\u0007\u001b[2J OK\r\n\r\n");

        var run = await CliRun.RunAsync("status", "--admin", $"http://127.0.0.1:{((IPEndPoint)impostor.LocalEndpoint).Port}");
        await answered;

        Assert.Equal(3, run.ExitCode);
        AssertSafe(run.Error);
        Assert.Contains("200 OK", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_CandidateBodyAndHeadersWithEscapes_PrintsThemCleaned_AndJsonKeepsThemEscaped()
    {
        var legacy = await LoopbackBackend.StartAsync(context => Answer(context, "1", "total: 1"));
        // Bytes 0x80-0xFF in a header reach Cutover as the characters U+0080-U+00FF: here an 8-bit CSI and OSC.
        var candidate = await LoopbackBackend.StartAsync(context => Answer(context, HostileHeader, $"total: 2\n{Hostile}\n"), k => k.ResponseHeaderEncodingSelector = _ => Encoding.Latin1);
        await using var cutover = await RunningCutover.StartAsync($$"""
              - name: orders
                match: { pathPrefix: / }
                legacy: {{legacy.Urls.First()}}
                candidate: {{candidate.Urls.First()}}
                mode: shadow
                compare: { headers: [X-Build] }
            """, legacy, candidate);
        using var http = new HttpClient { BaseAddress = cutover.Host.DataPlaneAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/orders/1", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("X-Note", HostileRequestHeader);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();

        var table = await WaitForSampleAsync(cutover.Admin);
        var json = await CliRun.RunAsync("diff", "orders", "--json", "--admin", cutover.Admin);

        Assert.Equal(0, table.ExitCode);
        AssertSafe(table.Out);
        Assert.Matches(@"\ntotal: 1 +\| total: 2\n +> fix rates now redowt\n", table.Out);
        Assert.Matches(@"header:X-Build\tvalue changed\t1\t2\n", table.Out);
        Assert.Matches(@"body\tvalue changed\ttotal: 1 ?\ttotal: 2 fix rates now redowt ?\n", table.Out);
        Assert.DoesNotContain("pwned", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("2J", table.Out, StringComparison.Ordinal);
        AssertSafe(json.Out);
        var sample = JsonDocument.Parse(json.Out).RootElement.GetProperty("sample");
        Assert.Equal($"total: 2\n{Hostile}\n", sample.GetProperty("candidate").GetProperty("body").GetString());
        Assert.Equal(HostileHeader, Header(sample.GetProperty("candidate"), "X-Build"));
        Assert.Equal(HostileRequestHeader, Header(sample.GetProperty("request"), "X-Note"));
    }

    [Fact]
    public async Task BackfillStatus_LastErrorWithEscapes_PrintsItCleaned_AndJsonKeepsItEscaped()
    {
        await using var scenario = await CustomersScenario.CreateAsync("sqlite", "sqlite");
        await CliRun.RunAsync("backfill", "run", "-f", scenario.WriteJobFile(), "--store", scenario.StoreLocation);
        // As a database's error message quoting a row's value would be stored.
        var record = await scenario.Store.GetBackfillAsync("customers");
        await scenario.Store.SaveBackfillAsync(record! with { Status = BackfillStatus.Failed, LastError = Hostile });

        var table = await CliRun.RunAsync("backfill", "status", "--store", scenario.StoreLocation);
        var json = await CliRun.RunAsync("backfill", "status", "customers", "--json", "--store", scenario.StoreLocation);

        Assert.Equal(0, table.ExitCode);
        AssertSafe(table.Out);
        Assert.Matches(@"customers\s+failed\s+25\s.*\s" + Visible, table.Out);
        AssertSafe(json.Out);
        Assert.Equal(Hostile, JsonDocument.Parse(json.Out).RootElement.GetProperty("lastError").GetString());
    }

    /// <summary>
    /// No byte a terminal acts on: nothing below 0x20 but the newline and the tab (which separates a
    /// piped table's values; a tab in outside text is printed as spaces), no DEL, no C1 control, no
    /// invisible format character.
    /// </summary>
    private static void AssertSafe(string printed)
    {
        Assert.All(Encoding.UTF8.GetBytes(printed), b => Assert.True(b is >= 0x20 and not 0x7F || b is (byte)'\n' or (byte)'\t', $"byte 0x{b:X2} in:\n{printed}"));
        Assert.DoesNotContain(printed, c => c is >= '\u0080' and <= '\u009F' || TerminalText.Invisible.Contains(c) || char.IsSurrogate(c));
    }

    private static async Task AnswerOnceAsync(TcpListener listener, string response)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        _ = await stream.ReadAsync(new byte[4096]);
        await stream.WriteAsync(Encoding.Latin1.GetBytes(response));
    }

    private static Task Answer(HttpContext context, string build, string body)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Build"] = build;
        return context.Response.WriteAsync(body);
    }

    private static string? Header(JsonElement side, string name) =>
        side.GetProperty("headers").EnumerateObject().Single(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.GetString();

    /// <summary>The shadow copy is compared in the background; waits until <c>diff</c> shows its sample.</summary>
    private static async Task<CliRun> WaitForSampleAsync(string admin)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var run = await CliRun.RunAsync("diff", "orders", "--admin", admin);
            if (run.Out.Contains("Sample ", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(50);
        }
    }

    private async Task<CutoverProcess> ServeAsync(Uri admin)
    {
        var server = CutoverProcess.Start("serve", "-c", ServeConfig.Write(_folder, admin, $$"""
              - name: orders
                match: { pathPrefix: /orders }
                legacy: http://127.0.0.1:{{LoopbackPorts.Closed()}}
                candidate: http://127.0.0.1:{{LoopbackPorts.Closed()}}
                plan:
                  steps:
                    - pause: { duration: 1h }
                    - weight: 100
            """));
        await server.WaitForReadyAsync(admin);
        return server;
    }

    private static async Task Succeeds(Uri admin, params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--admin", admin.ToString()]);
        Assert.True(run.ExitCode == 0, run.Error);
    }
}
