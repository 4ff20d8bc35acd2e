using Cutover.Client.Link;
using Cutover.Client.Reporting;
using Cutover.Client.Running;
using Cutover.Client.Setup;
using Cutover.Client.State;
using Cutover.Kernel.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cutover.Client;

/// <summary>Registers Cutover's in-process SDK with an application's dependency injection.</summary>
public static class CutoverServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICutoverClient"/> with its options bound from the <c>Cutover</c> section of
    /// <paramref name="configuration"/>, so migrations are tuned where the rest of the application is.
    /// </summary>
    public static IServiceCollection AddCutover(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddCutover(options => configuration.GetSection(CutoverClientOptions.Section).Bind(options));
    }

    /// <summary>
    /// Adds <see cref="ICutoverClient"/> and what it shares with the control-plane link, all
    /// singletons: the <see cref="MigrationTable"/> decisions are read from, the
    /// <see cref="MetricsRegistry"/> and <see cref="DivergenceSampleBuffer"/> results are recorded
    /// into, and a <see cref="TimeProvider"/> (the system's unless one is registered); and the
    /// control-plane link's two hosted services, which fill the table from
    /// <see cref="CutoverClientOptions.ControlPlane"/> and its cache file and send what was recorded.
    /// </summary>
    public static IServiceCollection AddCutover(this IServiceCollection services, Action<CutoverClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<CutoverClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CutoverClientOptions>, ControlPlaneTrust>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MigrationTable>();
        services.TryAddSingleton(provider => new MetricsRegistry(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DivergenceSampleBuffer>();
        services.TryAddSingleton<IResultRedactor, FieldRedactor>();
        services.TryAddSingleton<DivergenceRecorder>();
        services.TryAddSingleton<MigrationPolicies>();
        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton<ICutoverClient, CutoverClient>();
        return services.AddControlPlaneLink();
    }
}
