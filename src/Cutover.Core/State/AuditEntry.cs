namespace Cutover.Core.State;

/// <summary>One row of the audit log: every state change, who made it, why, and what it changed.</summary>
/// <param name="Id">Increasing id, in the order changes were committed.</param>
/// <param name="Time">When the change was committed.</param>
/// <param name="Migration">The migration changed.</param>
/// <param name="Actor">Who made it.</param>
/// <param name="Action">What was done.</param>
/// <param name="Before">The state before, as "mode=canary weight=10", or empty for a new migration.</param>
/// <param name="After">The state after.</param>
/// <param name="Reason">Why, as given.</param>
/// <param name="Evidence">JSON of the measurements behind an orchestrator's decision (or a failure report), or null.</param>
public sealed record AuditEntry(long Id, DateTimeOffset Time, string Migration, string Actor, string Action, string Before, string After, string Reason, string? Evidence = null);
