using Cutover.Core.Analysis;

namespace Cutover.Core.Rollout;

/// <summary>A trigger as read now: its evaluation, its <c>for</c> duration and since when it has held (null when it does not).</summary>
/// <param name="Evaluation">The trigger's condition over its window.</param>
/// <param name="For">How long it must hold before it rolls back.</param>
/// <param name="HoldingSince">Since when it has held without a break, as the replica running the plans saw it; null when it is not holding.</param>
public sealed record TriggerReading(ConditionEvaluation Evaluation, TimeSpan For, DateTimeOffset? HoldingSince);
