using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cutover.Server.Tests.Rollout;

/// <summary>
/// Every plan command refused in a plan state ends with a hint naming commands; each of those must
/// work in that state. Walks every state a plan can be in and every plan command, then tries each
/// hinted command on a fresh plan brought to the same state.
/// </summary>
public sealed partial class PlanHintTests
{
    private const string Plan = """
        steps:
          - weight: 5
          - pause: {}
          - weight: 100
        gates: ["candidate.errorRate <= 0.01"]
        minSamples: 20
        """;

    private static readonly string[] Commands = ["promote", "pause", "resume", "abort", "retry"];

    /// <summary>How to bring a fresh plan to each state (every command forced, so neither checks nor gates stand in the way).</summary>
    private static readonly Dictionary<string, string[]> States = new()
    {
        ["ready"] = [],
        ["running"] = ["promote"],
        ["paused by a person"] = ["promote", "pause"],
        ["waiting for promote"] = ["promote", "promote"],
        ["aborted"] = ["promote", "abort"],
        ["rolled back"] = ["promote", "rollback"],
        ["completed"] = ["promote", "promote", "promote", "promote"],
    };

    [Fact]
    public async Task RefusedPlanCommand_InEveryState_HintsOnlyCommandsThatWorkThere()
    {
        var hinted = new HashSet<(string State, string Command, string Refused)>();
        foreach (var state in States.Keys)
        {
            foreach (var command in Commands)
            {
                await using var harness = await ReachAsync(state);
                using var answer = await harness.PostAsync(command, new { force = true });
                if (answer.StatusCode == HttpStatusCode.Conflict)
                {
                    var detail = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
                    var named = HintedCommand().Matches(detail).Select(m => m.Groups[1].Value).ToList();
                    Assert.True(named.Count > 0 || state == "completed", $"{command} refused in state {state} without naming what works: {detail}");
                    Assert.All(named, c => hinted.Add((state, c, $"{command}: {detail}")));
                }
                else
                {
                    Assert.True(answer.IsSuccessStatusCode, $"{command} in state {state}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.NotEmpty(hinted);
        foreach (var (state, command, refused) in hinted.DistinctBy(h => (h.State, h.Command)))
        {
            await using var harness = await ReachAsync(state);
            using var answer = await harness.PostAsync(command, new { force = true });
            Assert.True(answer.IsSuccessStatusCode, $"in state {state}, the refusal '{refused}' suggests `{command}`, which answered {answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<RolloutHarness> ReachAsync(string state)
    {
        var harness = await RolloutHarness.StartAsync(Plan);
        foreach (var step in States[state])
        {
            using var answer = await harness.PostAsync(step, new { force = true });
            Assert.True(answer.IsSuccessStatusCode, $"reaching {state}, {step} answered {answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }

        return harness;
    }

    [GeneratedRegex("`cutover (promote|pause|resume|abort|retry|rollback) orders")]
    private static partial Regex HintedCommand();
}
