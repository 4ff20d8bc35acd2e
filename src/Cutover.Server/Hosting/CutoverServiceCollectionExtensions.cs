using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.Configuration;
using Cutover.Core.Rollout;
using Cutover.Core.Security;
using Cutover.Core.Shadow;
using Cutover.Kernel.Metrics;
using Cutover.Server.Admin;
using Cutover.Server.Checks;
using Cutover.Server.Control;
using Cutover.Server.Forwarding;
using Cutover.Server.Metrics;
using Cutover.Server.Notifications;
using Cutover.Server.Outbound;
using Cutover.Server.Rollout;
using Cutover.Server.Routing;
using Cutover.Server.Security;
using Cutover.Server.Settings;
using Cutover.Server.Shadow;
using Cutover.Server.Telemetry;
using Cutover.Store;
using Cutover.Store.Opening;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Cutover.Server.Hosting;

/// <summary>
/// Registers everything Cutover runs, for <c>cutover serve</c> and for an application that hosts
/// Cutover alike: the store and runtime, the control path, the data plane, the admin API's access
/// control, and the background services. TryAdd throughout, so a host can replace any part.
/// </summary>
public static class CutoverServiceCollectionExtensions
{
    /// <summary>
    /// Reads and validates the config file at <paramref name="configPath"/> (throwing a
    /// <see cref="ConfigException"/> naming every problem), then registers Cutover on it as
    /// <see cref="AddCutover(IServiceCollection, CutoverDefinition, Action{CutoverHostOptions}?)"/> does.
    /// </summary>
    public static CutoverBuilder AddCutover(this IServiceCollection services, string configPath, Action<CutoverHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        return services.AddCutover(ConfigLoader.LoadFile(configPath), configure);
    }

    /// <summary>
    /// Registers Cutover on a validated config. Host settings are <see cref="IOptions{TOptions}"/>
    /// of <see cref="CutoverHostOptions"/>, set by <paramref name="configure"/> or any other
    /// options configuration. Before any other Cutover service runs, a hosted service opens the
    /// store and loads the state (and the tokens), so a broken setup fails the host's start.
    /// Then map the admin API with <c>MapCutoverAdmin()</c> and the proxy with <c>MapCutoverDataPlane()</c>.
    /// </summary>
    public static CutoverBuilder AddCutover(this IServiceCollection services, CutoverDefinition definition, Action<CutoverHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(definition);
        var options = services.AddOptions<CutoverHostOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(definition);
        services.TryAddSingleton(sp => HostOptions(sp).Time);
        services.AddHostedService<CutoverStartup>();
        AddRuntime(services, definition);
        AddControl(services, definition);
        AddDataPlane(services, definition);
        AddAdminAccess(services, definition);
        AddAdminApi(services);
        services.AddCutoverTelemetry(definition.Telemetry);
        return new CutoverBuilder(services);
    }

    private static void AddRuntime(IServiceCollection services, CutoverDefinition definition)
    {
        // Created here, so the container disposes it when the host stops.
        services.TryAddSingleton(sp => HostOptions(sp).Store ?? ControlStoreFactory.Create(definition.Store, HostOptions(sp).Time));
        // A class that needs one role of the store takes that role's interface; each is the same store.
        services.TryAddSingleton<IMigrationStateStore>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddSingleton<IShadowEvidenceStore>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddSingleton<IMetricsBucketStore>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddSingleton<ILeaseStore>(sp => sp.GetRequiredService<IControlStore>());
        services.TryAddSingleton<SnapshotSource>();
        services.TryAddSingleton(sp => new MetricsRegistry(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ShadowEvidence>();
        services.TryAddSingleton(sp => new CutoverRuntime(
            definition, sp.GetRequiredService<IControlStore>(), sp.GetRequiredService<SnapshotSource>(), sp.GetRequiredService<MetricsRegistry>(), sp.GetRequiredService<ShadowEvidence>()));
        services.TryAddKeyedSingleton(BackendClient.Key, (sp, _) => BackendClient.Create(traced: sp.GetService<TracerProvider>() is not null));
        services.TryAddSingleton(sp => new BackendClients(sp.GetRequiredKeyedService<HttpMessageInvoker>(BackendClient.Key), traced: sp.GetService<TracerProvider>() is not null));
    }

    private static void AddControl(IServiceCollection services, CutoverDefinition definition)
    {
        services.TryAddSingleton(sp => new SharedMetrics(sp.GetRequiredService<MetricsRegistry>(), HostOptions(sp).Replica));
        services.TryAddSingleton<EvidenceWriter>();
        services.TryAddSingleton<MigrationControl>();
        services.TryAddSingleton<ConfigApplier>();
        services.TryAddSingleton<PreflightRunner>();
        services.TryAddSingleton(sp => new SmokeRunner(sp.GetRequiredService<BackendClients>()));
        services.TryAddSingleton<RolloutControl>();
        services.TryAddSingleton(sp => new WebhookNotifier(
            definition.Webhooks, HostOptions(sp), () => AdminAddresses.Of(sp), sp.GetRequiredService<ILogger<WebhookNotifier>>()));
        services.TryAddSingleton<IRolloutEventSink>(sp => sp.GetRequiredService<WebhookNotifier>());

        // Registered before the other background services, so it stops after them: events they publish while stopping still go out.
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddHostedService<StateRefresher>();
        services.AddHostedService<EvidenceFlusher>();
        services.AddHostedService<MetricsRoller>();
        services.AddHostedService<MetricsExchange>();
        services.AddHostedService<RolloutOrchestrator>();
    }

    private static void AddDataPlane(IServiceCollection services, CutoverDefinition definition)
    {
        services.AddHttpForwarder();
        services.TryAddSingleton(sp => new ShadowSender(sp.GetRequiredService<BackendClients>(), sp.GetRequiredService<ShadowEvidence>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ShadowMemory(HostOptions(sp).ShadowMemoryBudget, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ShadowMemory>>()));
        services.TryAddSingleton<ShadowDispatcher>();
        services.TryAddSingleton(sp => new ForwardFaults(sp.GetRequiredService<ILogger<DataPlane>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DataPlane(
            sp.GetRequiredService<SnapshotSource>(), sp.GetRequiredService<Yarp.ReverseProxy.Forwarder.IHttpForwarder>(), sp.GetRequiredService<BackendClients>(),
            sp.GetRequiredService<ShadowDispatcher>(), new ForwardedHeaders(definition.TrustedProxies), sp.GetRequiredService<ForwardFaults>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<UnansweredSweeper>();
    }

    private static void AddAdminAccess(IServiceCollection services, CutoverDefinition definition)
    {
        var tokens = definition.AdminAuth == AdminAuthMode.Tokens;
        if (tokens)
        {
            services.TryAddSingleton(sp => new TokenRegistry(
                AdminGuardSettings.TokenStoreOf(definition, sp.GetRequiredService<IControlStore>()), sp.GetRequiredService<TimeProvider>()));
            services.AddHostedService<TokenRefresher>();
        }

        services.TryAddSingleton(sp => new FailedAttempts(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => AdminGuardSettings.Of(definition, HostOptions(sp).AdminOf(definition), tokens ? sp.GetRequiredService<TokenRegistry>() : null));
        services.TryAddSingleton<AdminGuard>();
    }

    private static void AddAdminApi(IServiceCollection services)
    {
        services.AddProblemDetails();
        // A query value of the wrong type raises an exception that MalformedRequestHandler turns into a problem naming it.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddExceptionHandler<MalformedRequestHandler>();
        // Enums (such as a difference's kind) travel as their camelCase names, which scripts can read without a table of numbers.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
    }

    private static CutoverHostOptions HostOptions(IServiceProvider services) => services.GetRequiredService<IOptions<CutoverHostOptions>>().Value;
}
