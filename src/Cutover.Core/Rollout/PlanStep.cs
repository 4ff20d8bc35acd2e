namespace Cutover.Core.Rollout;

/// <summary>
/// One step of a plan. A step that moves traffic (<see cref="ShadowStep"/>, <see cref="WeightStep"/>,
/// <see cref="RetireStep"/>) sets the mode and weight when it begins; the others hold traffic where
/// it is while time passes or a person decides.
/// </summary>
public abstract record PlanStep
{
    /// <summary>
    /// How long this step may run before the plan pauses for a person, when it differs from the
    /// plan's <c>progressDeadline</c>: a long soak at 50% may deserve a day where every other step
    /// deserves an hour. Null for the plan's.
    /// </summary>
    public TimeSpan? ProgressDeadline { get; init; }

    /// <summary>How long the step runs before its gates are judged: a shadow step's or a timed pause's duration; null for a step without one.</summary>
    public virtual TimeSpan? Bake => null;

    /// <summary>A short text for status lines, audit reasons and events: "weight 25", "pause 5m".</summary>
    public abstract string Describe();
}
