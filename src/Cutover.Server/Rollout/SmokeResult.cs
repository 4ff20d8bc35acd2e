namespace Cutover.Server.Rollout;

/// <summary>The outcome of a smoke step: how many synthetic requests the candidate answered well (below 400, or gRPC status OK), and the first failure.</summary>
/// <param name="Requests">Requests sent.</param>
/// <param name="Passed">Whether every one answered well.</param>
/// <param name="Succeeded">How many did.</param>
/// <param name="FirstFailure">What the first failure was ("503", "connection refused", "grpc-status UNAVAILABLE …"), or null.</param>
public sealed record SmokeResult(int Requests, bool Passed, int Succeeded, string? FirstFailure)
{
    /// <summary>Whether the requests were gRPC calls, judged by <c>grpc-status</c> rather than the HTTP status.</summary>
    public bool Grpc { get; init; }

    /// <summary>One line for the audit reason: "20/20 answered below 400", "17/20 answered OK (gRPC); first failure: …".</summary>
    public string Summary => $"{Succeeded}/{Requests} {(Grpc ? "answered OK (gRPC)" : "answered below 400")}{(FirstFailure is null ? string.Empty : "; first failure: " + FirstFailure)}";
}
