using Cutover.Client.State;
using Cutover.Core.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cutover.Client.Link;

/// <summary>Registers the control-plane link; <c>AddCutover</c> calls it.</summary>
internal static class ControlPlaneLinkRegistration
{
    /// <summary>
    /// Adds the state follower and the results reporter as hosted services, and (TryAdd, so the
    /// SDK's own registrations win) the table they fill, the counters they report and the status
    /// they keep.
    /// </summary>
    internal static IServiceCollection AddControlPlaneLink(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<CutoverClientOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MigrationTable>();
        services.TryAddSingleton(sp => new MetricsRegistry(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ControlPlaneLinkStatus>();
        services.AddHostedService<StateFollower>();
        services.AddHostedService<ResultsReporter>();
        return services;
    }
}
