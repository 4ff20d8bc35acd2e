namespace Cutover.Core.Rollout;

/// <summary>
/// One step of a plan. A step that moves traffic (<see cref="ShadowStep"/>, <see cref="WeightStep"/>,
/// <see cref="RetireStep"/>) sets the mode and weight when it begins; the others hold traffic where
/// it is while time passes or a person decides.
/// </summary>
public abstract record PlanStep
{
    /// <summary>A short text for status lines, audit reasons and events: "weight 25", "pause 5m".</summary>
    public abstract string Describe();
}
