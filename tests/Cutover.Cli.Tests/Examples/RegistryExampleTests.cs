using System.Net;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests.Examples;

/// <summary>
/// examples/registry as its README walks through it, with its durations shortened: the old and the
/// new registry as processes of their own on their own SQLite files, the example's cutover.yaml and
/// job file (addresses and files moved into a temp folder), and lookups through Cutover all along.
/// </summary>
public sealed class RegistryExampleTests : IAsyncLifetime
{
    private static readonly string Example = ExampleApp.Folder("registry");

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-example-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _lookups = new();
    private readonly List<HttpStatusCode> _answers = [];
    private ExampleApp _old = null!;
    private ExampleApp _new = null!;
    private CutoverHost _cutover = null!;
    private Task _traffic = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _old = ExampleApp.Start("registry.dll", ExampleApp.FreeAddress(), "--version", "1", "--db", Path.Combine(_folder, "registry-v1.db"));
        _new = ExampleApp.Start("registry.dll", ExampleApp.FreeAddress(), "--version", "2", "--db", Path.Combine(_folder, "registry-v2.db"));
        await _old.EventuallyAsync(async () => (await _old.Http.GetAsync("/health")).IsSuccessStatusCode, "the old registry to start");
        await _new.EventuallyAsync(async () => (await _new.Http.GetAsync("/health")).IsSuccessStatusCode, "the new registry to start");

        var job = Path.Combine(_folder, "copy-registrations.yaml");
        await File.WriteAllTextAsync(job, (await File.ReadAllTextAsync(Path.Combine(Example, "copy-registrations.yaml")))
            .Replace("sqlite:registry-v1.db", $"sqlite:{Path.Combine(_folder, "registry-v1.db")}", StringComparison.Ordinal)
            .Replace("sqlite:registry-v2.db", $"sqlite:{Path.Combine(_folder, "registry-v2.db")}", StringComparison.Ordinal)
            .Replace("rateLimit: 100", "rateLimit: 0", StringComparison.Ordinal));
        var config = (await File.ReadAllTextAsync(Path.Combine(Example, "cutover.yaml")))
            .Replace("http://127.0.0.1:8095", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8096", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5201", _old.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5202", _new.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("sqlite:registry-cutover.db", $"sqlite:{Path.Combine(_folder, "cutover.db")}", StringComparison.Ordinal)
            .Replace("file: copy-registrations.yaml", $"file: \"{job}\"", StringComparison.Ordinal)
            .Replace("duration: 1m, minRequests: 300", "duration: 3s, minRequests: 100", StringComparison.Ordinal)
            .Replace("pause: { duration: 1m }", "pause: { duration: 3s }", StringComparison.Ordinal)
            .Replace("for 20s", "for 2s", StringComparison.Ordinal);
        _cutover = await CutoverHost.StartAsync(ConfigLoader.Load(config, "examples/registry/cutover.yaml"), new CutoverHostOptions { LogLevel = LogLevel.Warning });
        _lookups.BaseAddress = _cutover.DataPlaneAddress;
        _traffic = LookUpAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _traffic;
        await _cutover.DisposeAsync();
        _old.Dispose();
        _new.Dispose();
        _lookups.Dispose();
        _stop.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Plan_CopiesValidatesSwitchesAndRetires_WithNoLookupLost()
    {
        await _old.PromoteAsync(_cutover.AdminAddress, "registry", "move to the new registry");
        // Past the copy, status shows the job inside the plan while its catch-up passes run.
        await _old.EventuallyAsync(
            async () => (await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "status", "registry")).Out.Contains("Backfill (catch-up): job registrations completed, 200 rows copied", StringComparison.Ordinal),
            "status to show the copied job");
        await _old.EventuallyAsync(async () => await PlanAsync() is ("retired", "completed"), "the plan to retire the old registry", TimeSpan.FromMinutes(2));

        Assert.Equal(200, await CountAsync(Path.Combine(_folder, "registry-v2.db"), "registrations"));
        using var answer = await _lookups.GetAsync("/services/svc-042");
        Assert.Equal(("2", "10.0.0.43:8042"), (answer.Headers.GetValues("Registry-Version").Single(),
            JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("endpoint").GetString()));
        lock (_answers)
        {
            Assert.All(_answers, status => Assert.Equal(HttpStatusCode.OK, status));
        }
    }

    [Fact]
    public async Task Plan_NewRegistryLosesLookups_ShadowRunCatchesItAndRollsBack()
    {
        (await _new.Http.PostAsync("/faults?lose=0.2", null)).EnsureSuccessStatusCode();
        await _old.PromoteAsync(_cutover.AdminAddress, "registry", "move to the new registry");

        await _old.EventuallyAsync(async () => await PlanAsync() is ("legacy", "rolled-back"), "the shadow run to roll back", TimeSpan.FromMinutes(2));
        var status = JsonDocument.Parse((await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "status", "registry", "--json")).Out).RootElement;
        Assert.Contains("divergenceRate > 0.01", status.GetProperty("plan").GetProperty("note").GetString(), StringComparison.Ordinal);

        // Users never saw the lost lookups: in shadow mode the old registry answers.
        lock (_answers)
        {
            Assert.All(_answers, s => Assert.Equal(HttpStatusCode.OK, s));
        }
    }

    private async Task<(string? Mode, string? Plan)> PlanAsync()
    {
        var status = JsonDocument.Parse((await ExampleApp.SucceedsAsync(_cutover.AdminAddress, "status", "registry", "--json")).Out).RootElement;
        return (status.GetProperty("mode").GetString(), status.GetProperty("plan").GetProperty("status").GetString());
    }

    private static async Task<long> CountAsync(string database, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Looks every registered service up through Cutover until stopped, as the registry's clients would, keeping each answer's status.</summary>
    private async Task LookUpAsync(CancellationToken cancellationToken)
    {
        for (var i = 1; !cancellationToken.IsCancellationRequested; i = i % 200 + 1)
        {
            try
            {
                using var response = await _lookups.GetAsync($"/services/svc-{i:000}", cancellationToken);
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
