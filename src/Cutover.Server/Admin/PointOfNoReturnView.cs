namespace Cutover.Server.Admin;

/// <summary>A plan's point of no return as the admin API shows it, so a person knows before a rollback whether legacy still holds current data.</summary>
/// <param name="Step">The step, 1-based.</param>
/// <param name="Note">What changed there, as the plan says ("the candidate now writes the new store"); may be empty.</param>
/// <param name="Passed">Whether this run of the plan has reached it: a trigger then halts the plan, and a rollback needs <c>force</c>.</param>
public sealed record PointOfNoReturnView(int Step, string Note, bool Passed);
