using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Core.Analysis;
using Cutover.Kernel.Metrics;

namespace Cutover.Core.Rollout;

/// <summary>
/// The measurements behind a decision, as JSON kept with its audit row and sent with its event:
/// the window judged, both sides' figures, the rank test, and each condition with its values, so
/// a person can check the decision without the metrics that have since rolled away.
/// </summary>
public static class Evidence
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The options evidence is written with, for callers that add to it.</summary>
    public static JsonSerializerOptions SerializerOptions => Json;

    /// <summary>Evidence of a window, with the gates or the trigger judged on it.</summary>
    public static JsonObject Of(
        MetricsWindow window,
        int minSamples,
        IReadOnlyList<ConditionEvaluation>? gates = null,
        ConditionEvaluation? trigger = null,
        DateTimeOffset? holdingSince = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        var input = new AnalysisInput(window, minSamples);
        var evidence = new JsonObject
        {
            ["window"] = new JsonObject { ["from"] = window.From, ["to"] = window.To },
            ["minSamples"] = minSamples,
            ["legacy"] = Side(window.Legacy),
            ["candidate"] = Side(window.Candidate),
            ["compared"] = window.Compared,
            ["divergent"] = window.Divergent,
            ["divergenceRate"] = window.DivergenceRate,
            ["healthScore"] = input.HealthScore,
            ["latencyTest"] = input.Latency is { } test ? JsonSerializer.SerializeToNode(test, Json) : null,
        };
        if (gates is not null)
        {
            evidence["gates"] = JsonSerializer.SerializeToNode(gates, Json);
        }

        if (trigger is not null)
        {
            evidence["trigger"] = JsonSerializer.SerializeToNode(trigger, Json);
            evidence["holdingSince"] = holdingSince;
        }

        return evidence;
    }

    private static JsonObject Side(SideSummary side) => new()
    {
        ["requests"] = side.Requests,
        ["errors"] = side.Errors,
        ["errorRate"] = side.ErrorRate,
        ["p50Ms"] = side.LatencyMs(0.5),
        ["p99Ms"] = side.LatencyMs(0.99),
        ["maxMs"] = side.MaxLatencyMs,
    };
}
