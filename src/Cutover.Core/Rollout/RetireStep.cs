namespace Cutover.Core.Rollout;

/// <summary>Retire the legacy side: the migration is done and the plan completes.</summary>
public sealed record RetireStep : PlanStep
{
    /// <inheritdoc />
    public override string Describe() => "retire";
}
