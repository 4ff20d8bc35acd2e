using System.Text.Json.Nodes;

namespace Cutover.Core.Rollout;

/// <summary>
/// One thing that happened to a migration's rollout, as told to people (webhooks, the event
/// stream): enough to act on without opening the dashboard.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Migration">The migration.</param>
/// <param name="Time">When.</param>
/// <param name="Actor">Who: a person's name, or <c>cutover</c> for the orchestrator.</param>
/// <param name="Summary">One sentence for a chat message, e.g. "orders rolled back: candidate.errorRate 0.31 > 0.05 for 1m".</param>
/// <param name="State">The traffic state after it, as "mode=canary weight=25".</param>
/// <param name="Step">The plan step now current (1-based), or null when the plan has ended.</param>
/// <param name="StepCount">How many steps the plan has.</param>
/// <param name="Evidence">The measurements behind it (condition values, window, thresholds), or null for a person's command.</param>
public sealed record RolloutEvent(
    RolloutEventKind Kind,
    string Migration,
    DateTimeOffset Time,
    string Actor,
    string Summary,
    string State,
    int? Step,
    int StepCount,
    JsonNode? Evidence);
