using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Server.Forwarding;

/// <summary>Puts the data plane on an application's own pipeline, for a team that hosts Cutover in its ASP.NET Core app.</summary>
public static class DataPlaneEndpoints
{
    /// <summary>
    /// Maps the proxy as a catch-all endpoint: every request no other endpoint of the application
    /// matches goes through <see cref="DataPlane"/>, as on <c>cutover serve</c>'s listener, with no
    /// limit on its body (the backends own theirs). Scope it with the returned builder (for example
    /// <c>RequireHost("*:8080")</c>) to proxy one port only. Fails fast when the Cutover services are missing.
    /// </summary>
    public static IEndpointConventionBuilder MapCutoverDataPlane(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var dataPlane = endpoints.ServiceProvider.GetService<DataPlane>()
            ?? throw new InvalidOperationException("MapCutoverDataPlane needs the Cutover services: call services.AddCutover(...) first.");
        return endpoints.Map("/{**path}", context =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            return dataPlane.HandleAsync(context);
        }).WithDisplayName("Cutover data plane");
    }
}
