using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FeatureManagement;

namespace Cutover.Client.FeatureManagement;

/// <summary>Reads Cutover's migrations as Microsoft.FeatureManagement feature flags.</summary>
public static class FeatureManagementBuilderExtensions
{
    /// <summary>
    /// Makes every migration a feature flag (<c>services.AddFeatureManagement().AddCutoverMigrations()</c>,
    /// after <c>services.AddCutover(...)</c>): enabled where the candidate's branch is taken, for the
    /// targeting context's user. Other flags keep coming from configuration.
    /// </summary>
    public static IFeatureManagementBuilder AddCutoverMigrations(this IFeatureManagementBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IFeatureDefinitionProvider, MigrationFeatureDefinitionProvider>());
        return builder.AddFeatureFilter<MigrationFeatureFilter>().AddFeatureFilter<AmbientMigrationFeatureFilter>();
    }
}
