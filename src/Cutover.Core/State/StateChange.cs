using Cutover.Core.Rollout;
using Cutover.Kernel.Routing;

namespace Cutover.Core.State;

/// <summary>
/// A request to change a migration's state, with who asked and why; the store applies it and
/// writes its audit row in one transaction.
/// </summary>
/// <param name="Name">The migration.</param>
/// <param name="Action">What is being done, as it appears in the audit log: <c>weight</c>, <c>mode</c>, <c>rollback</c>, <c>seed</c>, <c>apply</c>, and the plan's actions such as <c>promote</c>, <c>step</c>, <c>pause</c>.</param>
/// <param name="Mode">The new mode.</param>
/// <param name="Weight">The new weight.</param>
/// <param name="Actor">Who asked: a user name, or <c>cutover</c> for the system itself.</param>
/// <param name="Reason">Why, as typed by the user; may be empty.</param>
/// <param name="ExpectedVersion">When set, the change fails if the stored version differs (someone else changed it first).</param>
/// <param name="Rollout">The plan progress after the change; null leaves the stored progress as it is.</param>
/// <param name="Evidence">JSON of the measurements that caused the change (conditions, values, window), kept with the audit row.</param>
/// <param name="Plan">The plan <c>cutover apply</c> gives the migration; null leaves the stored plan as it is.</param>
public sealed record StateChange(
    string Name,
    string Action,
    MigrationMode Mode,
    Weight Weight,
    string Actor,
    string Reason,
    long? ExpectedVersion = null,
    RolloutState? Rollout = null,
    string? Evidence = null,
    AppliedPlan? Plan = null);
