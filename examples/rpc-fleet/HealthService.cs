using Grpc.Core;
using RpcFleet.Health;

namespace RpcFleet;

/// <summary>gRPC's standard health check: the whole process (the empty service name) serves once it listens; a service of the fleet is named as <c>fleet.v1.Pricing</c>.</summary>
internal sealed class HealthService(string? faulty) : Health.Health.HealthBase
{
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) => request.Service switch
    {
        "" => Serving(HealthCheckResponse.Types.ServingStatus.Serving),
        var name when name == $"{Fleet.Package}.{faulty}" => Serving(HealthCheckResponse.Types.ServingStatus.NotServing),
        var name when Fleet.Services.Any(s => $"{Fleet.Package}.{s}" == name) => Serving(HealthCheckResponse.Types.ServingStatus.Serving),
        _ => throw new RpcException(new Status(StatusCode.NotFound, "unknown service")),
    };

    private static Task<HealthCheckResponse> Serving(HealthCheckResponse.Types.ServingStatus status) => Task.FromResult(new HealthCheckResponse { Status = status });
}
