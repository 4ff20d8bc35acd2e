using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Server.Control;
using Cutover.Server.Shadow;
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
        services.TryAddSingleton(runtime.Evidence);
        services.TryAddSingleton<EvidenceWriter>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MigrationControl>();
        services.AddProblemDetails();
        // Enums (such as a difference's kind) travel as their camelCase names, which scripts can read without a table of numbers.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return new CutoverBuilder(services);
    }
}
