namespace Cutover.Core.Analysis;

/// <summary>
/// What a condition says about a window. Three outcomes, not two: a gate that passed on an empty
/// baseline would promote a candidate nobody measured, so too little data is its own answer.
/// </summary>
public enum ConditionVerdict
{
    /// <summary>The comparison holds on enough data.</summary>
    Met,

    /// <summary>The comparison does not hold on enough data.</summary>
    NotMet,

    /// <summary>A metric it needs had too few samples (or none) in the window: neither met nor not met.</summary>
    Inconclusive,
}
