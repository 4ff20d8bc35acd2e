namespace Cutover.Core.Analysis;

/// <summary>
/// One condition checked against one window: the evidence a gate result or a fired trigger
/// carries, so a person can see why without recomputing anything.
/// </summary>
/// <param name="Condition">The condition's normalized text.</param>
/// <param name="Verdict">Met, not met, or inconclusive for lack of data.</param>
/// <param name="Left">The left side's value (factor applied); null when it could not be judged on the window's data.</param>
/// <param name="Right">The right side's value (factor applied); null when it could not be judged on the window's data.</param>
/// <param name="Detail">One sentence, e.g. "candidate.errorRate 0.062 > 0.05" or "inconclusive: nothing was compared in the window".</param>
public sealed record ConditionEvaluation(string Condition, ConditionVerdict Verdict, double? Left, double? Right, string Detail);
