namespace Cutover.Core.Rollout;

/// <summary>
/// What happened to a rollout. Webhooks subscribe by these, so a channel can take only rollbacks
/// while another follows every step; the wire names (<see cref="RolloutEventKinds.ToWire"/>) are part of the contract.
/// </summary>
public enum RolloutEventKind
{
    /// <summary>The plan moved to its next step (by the orchestrator, or by a person's promote).</summary>
    StepAdvanced,

    /// <summary>A gate was checked before leaving a step and did not pass (failed or inconclusive).</summary>
    GateFailed,

    /// <summary>A trigger's condition held for its duration; a rollback follows.</summary>
    TriggerFired,

    /// <summary>Traffic went back to legacy, automatically or by a person.</summary>
    RolledBack,

    /// <summary>The plan stopped to wait for a person.</summary>
    Paused,

    /// <summary>The plan reached its end.</summary>
    Completed,

    /// <summary>
    /// A trigger fired (or a smoke step failed) past the plan's point of no return: instead of
    /// sending users back to a legacy that no longer holds current data, the plan paused for a person.
    /// </summary>
    Halted,
}
