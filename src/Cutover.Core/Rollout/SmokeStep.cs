namespace Cutover.Core.Rollout;

/// <summary>
/// Send <paramref name="Requests"/> synthetic GET requests straight to the candidate; every one must
/// answer below 400 or the plan rolls back. Proves a blue-green target before traffic moves to it.
/// </summary>
/// <param name="Requests">How many requests.</param>
/// <param name="Path">The path and query asked for.</param>
public sealed record SmokeStep(int Requests, string Path) : PlanStep
{
    /// <inheritdoc />
    public override string Describe() => $"smoke {Requests} x GET {Path}";
}
