using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Cutover.Client.FeatureManagement;

/// <summary>
/// The filter of every migration read as a feature flag, for calls that pass no context: the
/// sticky key is the user of the application's <see cref="ITargetingContextAccessor"/> when one is
/// registered, as Microsoft's targeting filter does; otherwise each call draws a side at random.
/// </summary>
/// <param name="client">What decides.</param>
/// <param name="accessor">The ambient targeting context.</param>
[FilterAlias(MigrationFeatureFilter.Alias)]
public sealed class AmbientMigrationFeatureFilter(ICutoverClient client, ITargetingContextAccessor? accessor = null) : IFeatureFilter
{
    /// <inheritdoc />
    public async Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var targeting = accessor is null ? null : await accessor.GetContextAsync().ConfigureAwait(false);
        return client.IsCandidate(context.FeatureName, targeting?.UserId);
    }
}
