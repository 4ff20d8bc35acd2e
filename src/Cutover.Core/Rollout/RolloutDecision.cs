using System.Text.Json.Nodes;
using Cutover.Core.State;
using Cutover.Kernel.Routing;

namespace Cutover.Core.Rollout;

/// <summary>
/// A move of the plan: the traffic and progress after it, the audit action and reason, the event
/// to tell people, and the measurements that caused it. The orchestrator stores it (state and
/// audit row in one transaction) before traffic changes.
/// </summary>
/// <param name="Action">The audit action: <c>start</c>, <c>step</c>, <c>pause</c>, <c>rollback</c>, <c>complete</c>….</param>
/// <param name="Mode">The mode after it.</param>
/// <param name="Weight">The weight after it.</param>
/// <param name="Rollout">The plan progress after it.</param>
/// <param name="Reason">Why, in one sentence, for the audit log.</param>
/// <param name="Event">What to tell people, or null.</param>
/// <param name="Evidence">The window, the conditions and their values, or null for a person's command.</param>
public sealed record RolloutDecision(
    string Action,
    MigrationMode Mode,
    Weight Weight,
    RolloutState Rollout,
    string Reason,
    RolloutEventKind? Event,
    JsonObject? Evidence)
{
    /// <summary>Whether it sends traffic back to legacy.</summary>
    public bool IsRollback => Rollout.Status == RolloutStatus.RolledBack;
}
