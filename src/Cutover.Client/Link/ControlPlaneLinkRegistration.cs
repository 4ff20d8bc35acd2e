using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cutover.Client.Link;

/// <summary>Registers the control-plane link; <c>AddCutover</c> calls it.</summary>
internal static class ControlPlaneLinkRegistration
{
    /// <summary>
    /// Adds the state follower and the results reporter as hosted services, with the status they
    /// keep; the table they fill and the counters they report are <c>AddCutover</c>'s.
    /// </summary>
    internal static IServiceCollection AddControlPlaneLink(this IServiceCollection services)
    {
        services.TryAddSingleton<ControlPlaneLinkStatus>();
        services.AddHostedService<StateFollower>();
        services.AddHostedService<ResultsReporter>();
        return services;
    }
}
