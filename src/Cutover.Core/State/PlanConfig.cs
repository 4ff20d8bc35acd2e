namespace Cutover.Core.State;

/// <summary>A migration's rollout plan as written in the config file (or a file given to <c>cutover apply</c>).</summary>
public sealed record PlanConfig
{
    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<PlanStepConfig> Steps { get; init; } = [];

    /// <summary>Conditions checked before leaving a step.</summary>
    public IReadOnlyList<string> Gates { get; init; } = [];

    /// <summary>Conditions checked continuously; null for the default triggers (<see cref="Rollout.RolloutPlan.DefaultTriggers"/>).</summary>
    public IReadOnlyList<string>? Triggers { get; init; }

    /// <summary>The fewest requests per side before a condition is judged. The default value is 100.</summary>
    public double? MinSamples { get; init; }

    /// <summary>How long gates may stay unmet before the plan pauses for a person. The default value is 30m.</summary>
    public string? InconclusiveAfter { get; init; }

    /// <summary>How long a rollback waits for in-flight candidate requests. The default value is 30s.</summary>
    public string? DrainTimeout { get; init; }

    /// <summary>When the plan may move forward; null for any time.</summary>
    public PlanWindowConfig? Window { get; init; }

    /// <summary>How long a step may run before the plan pauses for a person; null for no deadline.</summary>
    public string? ProgressDeadline { get; init; }

    /// <summary>The line the plan starts on, for error messages.</summary>
    public int Line { get; init; }
}
