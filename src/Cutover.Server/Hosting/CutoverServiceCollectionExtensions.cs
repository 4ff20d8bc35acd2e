using Cutover.Server.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cutover.Server.Hosting;

/// <summary>Registers Cutover's control services; TryAdd throughout so a host can replace any part.</summary>
public static class CutoverServiceCollectionExtensions
{
    /// <summary>Adds the shared runtime and the migration control that the admin API works through.</summary>
    public static CutoverBuilder AddCutover(this IServiceCollection services, CutoverRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(runtime);
        services.TryAddSingleton(runtime);
        services.TryAddSingleton(runtime.Definition);
        services.TryAddSingleton(runtime.Store);
        services.TryAddSingleton(runtime.Snapshots);
        services.TryAddSingleton(runtime.Metrics);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MigrationControl>();
        services.AddProblemDetails();
        return new CutoverBuilder(services);
    }
}
