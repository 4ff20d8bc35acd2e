namespace Cutover.Server.Checks;

/// <summary>The outcome of one pre-migration check, as a person reads it before moving traffic.</summary>
/// <param name="Name">The check: a built-in name (<see cref="Core.Checks.CheckNames"/>) or a custom check's name from the config.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What was found, and when it failed, why that blocks a rollout and what to do.</param>
/// <param name="DurationMs">How long the check took, in milliseconds of real time.</param>
public sealed record CheckResult(string Name, bool Passed, string Detail, double DurationMs);
