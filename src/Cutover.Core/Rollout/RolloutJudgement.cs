using System.Text.Json.Nodes;

namespace Cutover.Core.Rollout;

/// <summary>
/// What one look at a migration's plan found: a move to make, or a notice (a gate that failed)
/// that changes nothing but should be told, or neither.
/// </summary>
/// <param name="Decision">The move to make, or null.</param>
/// <param name="Notice">An event without a move (e.g. a gate failed), or null.</param>
/// <param name="NoticeSummary">The notice's sentence.</param>
/// <param name="NoticeEvidence">The notice's measurements.</param>
public sealed record RolloutJudgement(RolloutDecision? Decision, RolloutEventKind? Notice = null, string NoticeSummary = "", JsonObject? NoticeEvidence = null)
{
    /// <summary>Nothing to do.</summary>
    public static RolloutJudgement None { get; } = new(Decision: null);
}
