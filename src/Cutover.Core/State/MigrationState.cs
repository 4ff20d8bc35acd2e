using Cutover.Kernel.Routing;

namespace Cutover.Core.State;

/// <summary>
/// The part of a migration that changes at run time and lives in the control store: it wins over
/// the config file after a restart, so a rollback at 3 a.m. is not undone by a redeploy.
/// </summary>
/// <param name="Name">The migration.</param>
/// <param name="Mode">Its mode.</param>
/// <param name="Weight">Its canary weight.</param>
/// <param name="Version">Increases by one with every change; used for optimistic concurrency.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Rollout">Its progress through its plan, or null when no plan has been started.</param>
/// <param name="Plan">The plan applied at run time, which wins over the file's; null when none was applied and the file's plan holds.</param>
public sealed record MigrationState(
    string Name, MigrationMode Mode, Weight Weight, long Version, DateTimeOffset UpdatedAt, RolloutState? Rollout = null, AppliedPlan? Plan = null);
