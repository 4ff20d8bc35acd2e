namespace Cutover.Core.Rollout;

/// <summary>
/// Retire the legacy side: from the step's start legacy gets no new request, and the plan
/// completes once the requests legacy was still serving have finished (or the plan's
/// <c>drainTimeout</c> has passed), so "completed" means legacy can be switched off.
/// </summary>
public sealed record RetireStep : PlanStep
{
    /// <inheritdoc />
    public override string Describe() => "retire";
}
