namespace Cutover.Core.State;

/// <summary>Where a migration's plan stands. Wire names are lower-case with dashes (<see cref="RolloutStatuses"/>).</summary>
public enum RolloutStatus
{
    /// <summary>The migration has a plan that has not started; <c>cutover promote</c> starts it.</summary>
    Ready,

    /// <summary>The orchestrator is moving through the steps.</summary>
    Running,

    /// <summary>The plan waits for a person (a <c>pause: {}</c> step, a <c>cutover pause</c>, gates inconclusive too long); triggers stay armed.</summary>
    Paused,

    /// <summary>Traffic went back to legacy; <c>cutover retry</c> starts the plan again.</summary>
    RolledBack,

    /// <summary>A person stopped the plan and took over; traffic stays where it was.</summary>
    Aborted,

    /// <summary>Every step is done.</summary>
    Completed,
}
