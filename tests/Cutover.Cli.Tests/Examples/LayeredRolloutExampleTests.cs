using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests.Examples;

/// <summary>
/// examples/layered-rollout as its README walks through it, with its durations shortened: the
/// legacy profiles service and the candidate as processes of their own on their own SQLite files,
/// the example's cutover.yaml and job file (addresses and files moved into a temp folder), and
/// users reading and writing their profiles through Cutover all along. One plan moves traffic and
/// data: shadow, 1 to 25%, the backfill, the point of no return, 50 to 100%, retire.
/// </summary>
public sealed class LayeredRolloutExampleTests : IAsyncLifetime
{
    private static readonly string Example = ExampleApp.Folder("layered-rollout");

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-example-").FullName;
    private readonly Uri _admin = ExampleApp.FreeAddress();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _users = new();
    private readonly List<HttpStatusCode> _answers = [];
    private ExampleApp _legacy = null!;
    private ExampleApp _candidate = null!;
    private CutoverHost _cutover = null!;
    private Task _traffic = Task.CompletedTask;

    private string LegacyDb => Path.Combine(_folder, "legacy.db");

    private string NewDb => Path.Combine(_folder, "profiles-v2.db");

    public async Task InitializeAsync()
    {
        _legacy = ExampleApp.Start("profiles.dll", ExampleApp.FreeAddress(), "--version", "1", "--db", LegacyDb);
        await _legacy.EventuallyAsync(async () => (await _legacy.Http.GetAsync("/health")).IsSuccessStatusCode, "the legacy service to start");
        _candidate = ExampleApp.Start("profiles.dll", ExampleApp.FreeAddress(), "--version", "2", "--legacy-db", LegacyDb, "--db", NewDb, "--control", _admin.ToString());
        await _candidate.EventuallyAsync(async () => (await _candidate.Http.GetAsync("/health")).IsSuccessStatusCode, "the candidate to start");

        var job = Path.Combine(_folder, "copy-profiles.yaml");
        await File.WriteAllTextAsync(job, (await File.ReadAllTextAsync(Path.Combine(Example, "copy-profiles.yaml")))
            .Replace("sqlite:legacy.db", $"sqlite:{LegacyDb}", StringComparison.Ordinal)
            .Replace("sqlite:profiles-v2.db", $"sqlite:{NewDb}", StringComparison.Ordinal)
            .Replace("rateLimit: 40", "rateLimit: 0", StringComparison.Ordinal));
        var config = (await File.ReadAllTextAsync(Path.Combine(Example, "cutover.yaml")))
            .Replace("http://127.0.0.1:8111", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8112", _admin.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5211", _legacy.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5212", _candidate.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("sqlite:layered-cutover.db", $"sqlite:{Path.Combine(_folder, "cutover.db")}", StringComparison.Ordinal)
            .Replace("file: copy-profiles.yaml", $"file: \"{job}\"", StringComparison.Ordinal)
            .Replace("catchUp: 5s", "catchUp: 1s", StringComparison.Ordinal)
            .Replace("duration: 30s, minRequests: 300", "duration: 2s, minRequests: 50", StringComparison.Ordinal)
            .Replace("pause: { duration: 15s }", "pause: { duration: 1s }", StringComparison.Ordinal)
            .Replace("minSamples: 20", "minSamples: 10", StringComparison.Ordinal)
            // The latency and health triggers (for 5m, for 3m) keep their durations: a run this short never holds them.
            .Replace("candidate.errorRate > 0.05 for 1m", "candidate.errorRate > 0.05 for 2s", StringComparison.Ordinal);
        _cutover = await CutoverHost.StartAsync(ConfigLoader.Load(config, "examples/layered-rollout/cutover.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Warning });
        _users.BaseAddress = _cutover.DataPlaneAddress;
        _traffic = Task.WhenAll(UseAsync(0, _stop.Token), UseAsync(1, _stop.Token));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _traffic;
        await _cutover.DisposeAsync();
        _legacy.Dispose();
        _candidate.Dispose();
        _users.Dispose();
        _stop.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Plan_ShadowCanaryBackfillPointOfNoReturnAndRetire_WithEveryUserRequestAnswered()
    {
        await _legacy.PromoteAsync(_cutover.AdminAddress, "profiles", "move profiles to the new service and table");

        await _legacy.EventuallyAsync(async () => PointOfNoReturnPassed(await StatusAsync()), "the point of no return", TimeSpan.FromMinutes(2));
        // The candidate follows the plan: from the point of no return it reads and writes the new table.
        await _candidate.EventuallyAsync(async () => (await StoreAsync()).GetProperty("using").GetString() == "new", "the candidate to switch to the new table");
        await _legacy.EventuallyAsync(async () => await PlanAsync() is ("retired", "completed"), "the plan to retire legacy", TimeSpan.FromMinutes(2));

        Assert.Equal(600, await CountAsync(NewDb, "user_profiles"));
        var step = (await AuditAsync()).First(a => a.GetProperty("reason").GetString()!.StartsWith("backfill profiles completed", StringComparison.Ordinal));
        Assert.Contains("600 rows copied", step.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("verify found the target identical (600 rows)", step.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Legacy is retired: stopped, and every user still gets an answer, from the new table.
        _legacy.Dispose();
        using var answer = await _users.SendAsync(Get(42));
        Assert.Equal((HttpStatusCode.OK, "2", "new"), (answer.StatusCode, answer.Headers.GetValues("Profiles-Version").Single(), answer.Headers.GetValues("Profiles-Store").Single()));
        lock (_answers)
        {
            Assert.NotEmpty(_answers);
            Assert.All(_answers, status => Assert.Equal(HttpStatusCode.OK, status));
        }
    }

    [Fact]
    public async Task Plan_CandidateFailsBeforeThePointOfNoReturn_TriggerRollsEveryUserBack()
    {
        await _legacy.PromoteAsync(_cutover.AdminAddress, "profiles", "move profiles to the new service and table");
        await _legacy.EventuallyAsync(async () => (await StatusAsync()).GetProperty("weight").GetDouble() >= 5, "the canary at 5%", TimeSpan.FromMinutes(1));
        (await _candidate.Http.PostAsync("/faults?fail=0.5", null)).EnsureSuccessStatusCode();

        await _legacy.EventuallyAsync(async () => await PlanAsync() is ("legacy", "rolled-back"), "the trigger to roll back", TimeSpan.FromMinutes(1));
        var status = await StatusAsync();
        Assert.Contains("candidate.errorRate > 0.05 for 2s", status.GetProperty("plan").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.False(PointOfNoReturnPassed(status));

        // No data moved: the new table is as it started, and users are answered by legacy again.
        Assert.Equal(0, await CountAsync(NewDb, "user_profiles"));
        using var answer = await _users.SendAsync(Get(42));
        Assert.Equal((HttpStatusCode.OK, "1"), (answer.StatusCode, answer.Headers.GetValues("Profiles-Version").Single()));
    }

    [Fact]
    public async Task Plan_CandidateFailsPastThePointOfNoReturn_HaltsThenForcedRollbackAndRestorePutTheNewTableBack()
    {
        await _legacy.PromoteAsync(_cutover.AdminAddress, "profiles", "move profiles to the new service and table");
        await _legacy.EventuallyAsync(async () => (await StatusAsync()).GetProperty("weight").GetDouble() >= 50, "the canary at 50%", TimeSpan.FromMinutes(2));
        Assert.True(PointOfNoReturnPassed(await StatusAsync()));
        (await _candidate.Http.PostAsync("/faults?fail=0.5", null)).EnsureSuccessStatusCode();

        // Past the point of no return the trigger halts the plan: users stay where they are.
        await _legacy.EventuallyAsync(
            async () => (await StatusAsync()).GetProperty("plan").GetProperty("note").GetString() is { } note && note.StartsWith("halted: trigger fired: candidate.errorRate > 0.05 for 2s", StringComparison.Ordinal),
            "the trigger to halt the plan", TimeSpan.FromMinutes(1));
        var halted = await StatusAsync();
        Assert.Equal(("canary", "paused"), (halted.GetProperty("mode").GetString(), halted.GetProperty("plan").GetProperty("status").GetString()));
        Assert.True(halted.GetProperty("weight").GetDouble() >= 50);

        var refused = await CliRun.RunAsync("rollback", "profiles", "-r", "candidate failing", "--admin", _cutover.AdminAddress.ToString());
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("passed its point of no return", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "rollback", "profiles", "--force", "-r", "candidate failing; going back to legacy's table");
        Assert.Equal(("legacy", "rolled-back"), await PlanAsync());

        // The new table held the copy (and the candidate's writes since); the restore puts it back as it was before the job: empty.
        Assert.Equal(600, await CountAsync(NewDb, "user_profiles"));
        var store = $"sqlite:{Path.Combine(_folder, "cutover.db")}";
        await _legacy.EventuallyAsync(async () => (await CliRun.RunAsync("backfill", "restore", "profiles", "--store", store)).ExitCode == 0, "the restore (once the catch-up passes let the job go)");
        Assert.Equal(0, await CountAsync(NewDb, "user_profiles"));
        Assert.Equal(0, await CountAsync(NewDb, "user_profiles__cutover_backup_profiles"));
        var job = JsonDocument.Parse((await CliRun.RunAsync("backfill", "status", "profiles", "--json", "--store", store)).Out).RootElement;
        Assert.Equal(("stopped", 0L), (job.GetProperty("status").GetString(), job.GetProperty("rowsCopied").GetInt64()));

        // Legacy answers every user again, from its own table.
        using var answer = await _users.SendAsync(Get(42));
        Assert.Equal((HttpStatusCode.OK, "1"), (answer.StatusCode, answer.Headers.GetValues("Profiles-Version").Single()));
    }

    private static HttpRequestMessage Get(int user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/profiles/{user}");
        request.Headers.Add("X-User-Id", user.ToString(CultureInfo.InvariantCulture));
        return request;
    }

    private static bool PointOfNoReturnPassed(JsonElement status) =>
        status.GetProperty("plan").GetProperty("pointOfNoReturn") is { ValueKind: JsonValueKind.Object } point && point.GetProperty("passed").GetBoolean();

    private async Task<JsonElement> StatusAsync() =>
        JsonDocument.Parse((await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "status", "profiles", "--json")).Out).RootElement;

    private async Task<(string? Mode, string? Plan)> PlanAsync()
    {
        var status = await StatusAsync();
        return (status.GetProperty("mode").GetString(), status.GetProperty("plan").GetProperty("status").GetString());
    }

    private async Task<JsonElement> StoreAsync() => await _candidate.Http.GetFromJsonAsync<JsonElement>("/store");

    private async Task<List<JsonElement>> AuditAsync() =>
        [.. JsonDocument.Parse((await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "audit", "profiles", "--json")).Out).RootElement.EnumerateArray()];

    private static async Task<long> CountAsync(string database, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Users reading their profiles through Cutover, one request in ten a rename, until stopped, keeping each answer's status; each of the two loops takes every other user.</summary>
    private async Task UseAsync(int half, CancellationToken cancellationToken)
    {
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var user = i * 7919 % 300 * 2 + half + 1;
            using var request = Get(user);
            if (i % 10 == 0)
            {
                request.Method = HttpMethod.Put;
                request.Content = JsonContent.Create(new { name = $"Renamed {i}", email = $"user{user}@example.com" });
            }

            try
            {
                using var response = await _users.SendAsync(request, cancellationToken);
                lock (_answers)
                {
                    _answers.Add(response.StatusCode);
                }

                await Task.Delay(3, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
