using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.Rollout;
using Cutover.Server.Admin;
using Cutover.Server.Checks;
using Cutover.Server.Control;
using Cutover.Server.Metrics;
using Cutover.Server.Notifications;
using Cutover.Server.Shadow;
using Cutover.Store;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cutover.Server.Hosting;

/// <summary>Registers Cutover's control services; TryAdd throughout so a host can replace any part.</summary>
public static class CutoverServiceCollectionExtensions
{
    /// <summary>
    /// Adds the shared runtime, the migration control that the admin API works through, the
    /// <see cref="SharedMetrics"/> that plans are judged on, the <see cref="ConfigApplier"/> behind
    /// <c>cutover apply</c>, the <see cref="PreflightRunner"/> that runs a migration's pre-migration checks, and the
    /// <see cref="IRolloutEventSink"/> the orchestrator tells events to (the config's webhooks;
    /// with none, it does nothing).
    /// </summary>
    public static CutoverBuilder AddCutover(this IServiceCollection services, CutoverRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(runtime);
        services.TryAddSingleton(runtime);
        services.TryAddSingleton(runtime.Definition);
        services.TryAddSingleton(runtime.Store);
        // A class that needs one role of the store takes that role's interface; each is the same store, which the host disposes.
        services.TryAddSingleton<IMigrationStateStore>(runtime.Store);
        services.TryAddSingleton<IShadowEvidenceStore>(runtime.Store);
        services.TryAddSingleton<IMetricsBucketStore>(runtime.Store);
        services.TryAddSingleton<ILeaseStore>(runtime.Store);
        services.TryAddSingleton(runtime.Snapshots);
        services.TryAddSingleton(runtime.Metrics);
        services.TryAddSingleton(sp => new SharedMetrics(runtime.Metrics, (sp.GetService<CutoverHostOptions>() ?? new CutoverHostOptions()).Replica));
        services.TryAddSingleton(runtime.Evidence);
        services.TryAddSingleton<EvidenceWriter>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MigrationControl>();
        services.TryAddSingleton<ConfigApplier>();
        services.TryAddSingleton<PreflightRunner>();
        services.TryAddSingleton(sp => new WebhookNotifier(
            runtime.Definition.Webhooks, sp.GetService<CutoverHostOptions>() ?? new CutoverHostOptions(), () => AdminAddresses.Of(sp), sp.GetRequiredService<ILogger<WebhookNotifier>>()));
        services.TryAddSingleton<IRolloutEventSink>(sp => sp.GetRequiredService<WebhookNotifier>());
        // Registered before the host's other hosted services, so it stops after them: events they publish while stopping still go out.
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddProblemDetails();
        // A query value of the wrong type raises an exception that MalformedRequestHandler turns into a problem naming it.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddExceptionHandler<MalformedRequestHandler>();
        // Enums (such as a difference's kind) travel as their camelCase names, which scripts can read without a table of numbers.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return new CutoverBuilder(services);
    }
}
