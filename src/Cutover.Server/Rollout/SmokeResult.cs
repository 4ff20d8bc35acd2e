namespace Cutover.Server.Rollout;

/// <summary>The outcome of a smoke step: how many synthetic requests the candidate answered below 400, and the first failure.</summary>
/// <param name="Requests">Requests sent.</param>
/// <param name="Passed">Whether every one answered below 400.</param>
/// <param name="Succeeded">How many did.</param>
/// <param name="FirstFailure">What the first failure was ("503", "connection refused", "timed out after 10s"), or null.</param>
public sealed record SmokeResult(int Requests, bool Passed, int Succeeded, string? FirstFailure)
{
    /// <summary>One line for the audit reason: "20/20 answered below 400" or "17/20 …; first failure: 503".</summary>
    public string Summary => FirstFailure is null
        ? $"{Succeeded}/{Requests} answered below 400"
        : $"{Succeeded}/{Requests} answered below 400; first failure: {FirstFailure}";
}
