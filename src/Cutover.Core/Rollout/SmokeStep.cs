namespace Cutover.Core.Rollout;

/// <summary>
/// Send <paramref name="Requests"/> synthetic requests straight to the candidate; every one must
/// succeed or the plan rolls back. Proves a blue-green target before traffic moves to it. A
/// request is a <c>GET</c> of <paramref name="Path"/>, answered below 400; or, with
/// <see cref="GrpcMethod"/>, a unary gRPC call with an empty request message, answered with
/// <c>grpc-status</c> OK, since a gRPC service answers a GET with an error.
/// </summary>
/// <param name="Requests">How many requests.</param>
/// <param name="Path">The path and query asked for; for a gRPC call, <c>/</c> and the method.</param>
public sealed record SmokeStep(int Requests, string Path) : PlanStep
{
    /// <summary>The unary method called (<c>grpc.health.v1.Health/Check</c>), or null for a GET.</summary>
    public string? GrpcMethod { get; init; }

    /// <inheritdoc />
    public override string Describe() => GrpcMethod is null ? $"smoke {Requests} x GET {Path}" : $"smoke {Requests} x gRPC {GrpcMethod}";
}
