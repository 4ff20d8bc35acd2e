namespace Cutover.Core.Rollout;

/// <summary>
/// Marks where legacy stops holding current data (the candidate now writes a store legacy does not
/// read). It moves no traffic and is left at once; from the moment the plan enters it, sending users
/// back to legacy would lose their writes, so a trigger halts the plan instead of rolling it back,
/// and a person's rollback needs <c>--force</c>.
/// </summary>
/// <param name="Note">What changed, in the plan author's words ("the candidate now writes the new store"); may be empty.</param>
public sealed record PointOfNoReturnStep(string Note) : PlanStep
{
    /// <inheritdoc />
    public override string Describe() => Note.Length > 0 ? $"point of no return: {Note}" : "point of no return";
}
