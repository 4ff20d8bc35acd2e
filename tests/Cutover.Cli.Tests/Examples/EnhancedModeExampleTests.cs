using System.Net;
using System.Text.Json;
using Cutover.Core.Configuration;
using Cutover.Server.Hosting;
using Cutover.Server.Settings;
using Microsoft.Extensions.Logging;

namespace Cutover.Cli.Tests.Examples;

/// <summary>
/// examples/enhanced-mode as its README walks through it, with its durations shortened: the shop's
/// search and the enhanced one as processes of their own, the example's cutover.yaml (addresses and
/// store moved into a temp folder, the pauses 1 s, the triggers' <c>for</c> 2 s, minSamples 20), and
/// shoppers searching through Cutover all along, each as one of 200 users.
/// </summary>
public sealed class EnhancedModeExampleTests : IAsyncLifetime
{
    private const int Shoppers = 8;
    private static readonly string Example = ExampleApp.Folder("enhanced-mode");

    private readonly string _folder = Directory.CreateTempSubdirectory("cutover-example-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _shoppers = new();
    private readonly List<HttpStatusCode> _answers = [];
    private ExampleApp _legacy = null!;
    private ExampleApp _enhanced = null!;
    private CutoverHost _cutover = null!;
    private bool _enhancedDied;
    private Task _traffic = Task.CompletedTask;

    private Uri Admin => _cutover.AdminAddress;

    public async Task InitializeAsync()
    {
        File.Copy(Path.Combine(Example, "popularity.json"), Path.Combine(_folder, "popularity.json"));
        _legacy = ExampleApp.Start("enhanced-search.dll", ExampleApp.FreeAddress(), "--version", "1");
        _enhanced = ExampleApp.Start("enhanced-search.dll", ExampleApp.FreeAddress(), "--version", "2", "--data", Path.Combine(_folder, "popularity.json"));
        await _legacy.EventuallyAsync(async () => (await _legacy.Http.GetAsync("/health")).IsSuccessStatusCode, "the shop's search to start");
        await _enhanced.EventuallyAsync(async () => (await _enhanced.Http.GetAsync("/health")).IsSuccessStatusCode, "the enhanced search to start");

        var config = (await File.ReadAllTextAsync(Path.Combine(Example, "cutover.yaml")))
            .Replace("http://127.0.0.1:8097", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8098", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5301", _legacy.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5302", _enhanced.Http.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("sqlite:enhanced-cutover.db", $"sqlite:{Path.Combine(_folder, "cutover.db")}", StringComparison.Ordinal)
            .Replace("pause: { duration: 1m }", "pause: { duration: 1s }", StringComparison.Ordinal)
            .Replace("pause: { duration: 30s }", "pause: { duration: 1s }", StringComparison.Ordinal)
            .Replace("for 20s", "for 2s", StringComparison.Ordinal)
            .Replace("minSamples: 50", "minSamples: 20", StringComparison.Ordinal);
        _cutover = await CutoverHost.StartAsync(ConfigLoader.Load(config, Path.Combine(_folder, "cutover.yaml")), new CutoverHostOptions { LogLevel = LogLevel.Warning });
        _shoppers.BaseAddress = _cutover.DataPlaneAddress;
        _traffic = Task.WhenAll(Enumerable.Range(0, Shoppers).Select(shopper => ShopAsync(shopper, _stop.Token)));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _traffic;
        await _cutover.DisposeAsync();
        _legacy.Dispose();
        if (!_enhancedDied)
        {
            _enhanced.Dispose();
        }

        _shoppers.Dispose();
        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Plan_JudgeSaysPromote_EveryoneOnTheEnhancedSearch_AndTheExportedConfigRestoresModeWeightAndPlan()
    {
        var backup = Path.Combine(_folder, "backup.yaml");
        await File.WriteAllTextAsync(backup, (await ExampleApp.SucceedsAsync(Admin, "export", "search")).Out);

        await _legacy.PromoteAsync(Admin, "search", "enhanced search for 10% of users");
        await _legacy.EventuallyAsync(async () => await PlanAsync() is ("canary", 25, "paused"), "the plan to wait for the promotion decision");
        await _legacy.EventuallyAsync(async () => Verdict(await JudgeAsync()) == "promote", "the judge to say promote");
        var judged = await ExampleApp.SucceedsAsync(Admin, "judge", "search");
        Assert.StartsWith("search: promote", judged.Out, StringComparison.Ordinal);
        Assert.Contains("the candidate is not slower than legacy", judged.Out, StringComparison.Ordinal);
        await ExampleApp.SucceedsAsync(Admin, "promote", "search", "-r", "judge: promote");
        await _legacy.EventuallyAsync(async () => await PlanAsync() is ("canary", 100, "completed"), "the plan to complete");
        using (var answer = await SearchAsync("u042", "couch"))
        {
            Assert.Equal("candidate", answer.Headers.GetValues("Cutover-Side").Single());
            Assert.Contains("\"sofa\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Someone replaces the plan; the backup puts the one before the rollout back, with its mode and weight.
        var other = Path.Combine(_folder, "other.yaml");
        await File.WriteAllTextAsync(other, (await File.ReadAllTextAsync(backup)).Replace("- weight: 10\n", "- weight: 5\n", StringComparison.Ordinal));
        await ExampleApp.SucceedsAsync(Admin, "apply", "-f", other);
        await ExampleApp.SucceedsAsync(Admin, "weight", "search", "60");
        Assert.Equal("weight 5", await FirstStepAsync());
        var restored = await ExampleApp.SucceedsAsync(Admin, "apply", "-f", backup, "-r", "restore the state saved before the rollout");

        Assert.Contains("search  mode: canary → legacy\n          weight: 60 → 0\n", restored.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(("legacy", 0, "ready"), await PlanAsync());
        Assert.Equal("weight 10", await FirstStepAsync());
        AssertEveryShopperServed();
    }

    [Fact]
    public async Task Failover_EnhancedSearchDiesMidCanary_EverySearchAnsweredByLegacy_AndThePlanRollsBack()
    {
        await _legacy.PromoteAsync(Admin, "search", "enhanced search for 10% of users");
        await _legacy.EventuallyAsync(async () => await PlanAsync() is ("canary", 10, "running"), "the canary");
        _enhancedDied = true;
        _enhanced.Dispose();

        await _legacy.EventuallyAsync(async () => await PlanAsync() is ("legacy", 0, "rolled-back"), "the plan to roll back", TimeSpan.FromSeconds(45));
        var status = await StatusAsync();
        Assert.Contains("candidate.errorRate > 0.05", status.GetProperty("plan").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True(status.GetProperty("stats").GetProperty("candidate").GetProperty("rescued").GetInt64() > 0, "legacy answered none of the dead candidate's searches");
        AssertEveryShopperServed();
    }

    [Fact]
    public async Task Triggers_EnhancedSearchP95Over500Ms_RollsBack()
    {
        (await _enhanced.Http.PostAsync("/faults?delayMs=600", null)).EnsureSuccessStatusCode();
        await _legacy.PromoteAsync(Admin, "search", "enhanced search for 10% of users");

        await _legacy.EventuallyAsync(async () => await PlanAsync() is ("legacy", 0, "rolled-back"), "the plan to roll back", TimeSpan.FromSeconds(45));
        Assert.Contains("candidate.p95 > 500", (await StatusAsync()).GetProperty("plan").GetProperty("note").GetString(), StringComparison.Ordinal);
        AssertEveryShopperServed();
    }

    [Fact]
    public async Task Rollout_PerUser_TheSameUserAlwaysGetsTheSameSide_AndARaiseOnlyMovesUsersToTheCandidate()
    {
        await ExampleApp.SucceedsAsync(Admin, "weight", "search", "25");
        var users = Enumerable.Range(1, 100).Select(i => $"u{i:000}").ToList();
        var at25 = await SidesAsync(users);
        Assert.Equal(at25, await SidesAsync(users));
        Assert.InRange(at25.Count(s => s.Value == "candidate"), 10, 40);

        await ExampleApp.SucceedsAsync(Admin, "weight", "search", "50");
        var at50 = await SidesAsync(users);
        Assert.All(at25.Where(s => s.Value == "candidate"), s => Assert.Equal("candidate", at50[s.Key]));
        Assert.True(at50.Count(s => s.Value == "candidate") > at25.Count(s => s.Value == "candidate"), "raising the weight moved no user");
    }

    private async Task<Dictionary<string, string>> SidesAsync(IEnumerable<string> users)
    {
        var sides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            using var answer = await SearchAsync(user, "sofa");
            sides[user] = answer.Headers.GetValues("Cutover-Side").Single();
        }

        return sides;
    }

    private async Task<JsonElement> StatusAsync() =>
        JsonDocument.Parse((await ExampleApp.SucceedsAsync(Admin, "status", "search", "--json")).Out).RootElement;

    private async Task<(string? Mode, double Weight, string? Plan)> PlanAsync()
    {
        var status = await StatusAsync();
        return (status.GetProperty("mode").GetString(), status.GetProperty("weight").GetDouble(), status.GetProperty("plan").GetProperty("status").GetString());
    }

    private async Task<string?> FirstStepAsync() =>
        (await StatusAsync()).GetProperty("plan").GetProperty("steps")[0].GetString();

    private async Task<JsonElement> JudgeAsync() =>
        JsonDocument.Parse((await ExampleApp.SucceedsAsync(Admin, "judge", "search", "--json")).Out).RootElement;

    private static string? Verdict(JsonElement judge) => judge.GetProperty("decision").GetProperty("verdict").GetString();

    private async Task<HttpResponseMessage> SearchAsync(string user, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/search?q={query}");
        request.Headers.Add("X-User-Id", user);
        return await _shoppers.SendAsync(request);
    }

    private void AssertEveryShopperServed()
    {
        lock (_answers)
        {
            Assert.NotEmpty(_answers);
            Assert.All(_answers, status => Assert.Equal(HttpStatusCode.OK, status));
        }
    }

    /// <summary>One shopper searching through Cutover until stopped, as a different user each time, keeping each answer's status.</summary>
    private async Task ShopAsync(int shopper, CancellationToken cancellationToken)
    {
        string[] queries = ["sofa", "couch", "lamp", "rug", "desk"];
        for (var i = shopper; !cancellationToken.IsCancellationRequested; i += Shoppers)
        {
            try
            {
                using var response = await SearchAsync($"u{i % 200 + 1:000}", queries[i % queries.Length]);
                lock (_answers)
                {
                    _answers.Add(response.StatusCode);
                }

                await Task.Delay(10, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
