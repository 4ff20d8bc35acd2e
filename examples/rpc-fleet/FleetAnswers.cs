using System.Globalization;
using Grpc.Core;
using RpcFleet.V1;

namespace RpcFleet;

/// <summary>
/// How every service of one side answers: the same reply on both sides for the same request (so
/// the shadow comparison finds them equal), with the side's version in the <c>fleet-version</c>
/// trailer; the service named by <c>--fault</c> fails every call with UNAVAILABLE instead.
/// </summary>
public sealed class FleetAnswers(int version, string? faulty)
{
    private readonly string _version = version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The reply of <paramref name="service"/> to <paramref name="request"/>.</summary>
    public Task<Reply> AnswerAsync(string service, Request request, ServerCallContext context)
    {
        context.ResponseTrailers.Add("fleet-version", _version);
        if (service == faulty)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"{service} cannot reach its database in this build"));
        }

        var amount = request.Id.Aggregate(17L, (sum, c) => ((sum * 31) + c) % 100_000);
        return Task.FromResult(new Reply { Service = service, Id = request.Id, Value = $"{service.ToLowerInvariant()}:{request.Id}", Amount = amount });
    }
}
