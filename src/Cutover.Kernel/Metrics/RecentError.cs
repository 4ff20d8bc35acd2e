using Cutover.Kernel.Routing;

namespace Cutover.Kernel.Metrics;

/// <summary>One failed request, kept for a failure report: what was asked, what came back, when.</summary>
/// <param name="Time">When it finished.</param>
/// <param name="Side">The side that failed it.</param>
/// <param name="Request">Method and path, e.g. "GET /orders/7".</param>
/// <param name="Status">The status the user got (a 502 or 504 when the backend did not answer).</param>
/// <param name="LatencyMs">How long it took.</param>
/// <param name="Cause">Which of the migration's error classes it fell under: a status, a gRPC status, a connection failure or a timeout.</param>
/// <param name="GrpcStatus">The gRPC status of a gRPC call by name (<c>UNAVAILABLE</c>), or null for another request; the HTTP status of a failed call is 200.</param>
public sealed record RecentError(DateTimeOffset Time, Side Side, string Request, int Status, double LatencyMs, ErrorCause Cause, string? GrpcStatus = null);
