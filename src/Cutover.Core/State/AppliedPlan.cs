namespace Cutover.Core.State;

/// <summary>
/// A plan given to a migration while Cutover runs (<c>cutover apply -f</c>), kept in the store
/// with the migration's state: like mode and weight it outlives a restart and wins over the
/// config file's plan, until another apply replaces it.
/// </summary>
/// <param name="Config">The plan as written in the applied file, checked again at each start; null when the apply removed the migration's plan.</param>
public sealed record AppliedPlan(PlanConfig? Config);
