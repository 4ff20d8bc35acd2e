namespace Cutover.Core.Configuration;

/// <summary>One entry of the file's <c>lockstep</c> list: a fleet group whose migrations move together, as written.</summary>
/// <param name="Group">The group's name, as the members' <c>group</c> gives it.</param>
/// <param name="Line">Where it is written, for errors.</param>
public sealed record LockstepConfig(string Group, int Line);
