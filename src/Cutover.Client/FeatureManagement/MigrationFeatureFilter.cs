using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Cutover.Client.FeatureManagement;

/// <summary>
/// The filter of every migration read as a feature flag: enabled exactly when
/// <see cref="ICutoverClient.IsCandidate"/> says the candidate's branch, with the targeting
/// context's user id as the sticky key, so <c>featureManager.IsEnabledAsync("billing-tax", context)</c>
/// and the proxy put a user on the same side. Without a context it asks the application's
/// <see cref="ITargetingContextAccessor"/>, when one is registered.
/// </summary>
/// <param name="client">What decides.</param>
/// <param name="accessor">The ambient targeting context, for calls that pass none.</param>
[FilterAlias(Alias)]
public sealed class MigrationFeatureFilter(ICutoverClient client, ITargetingContextAccessor? accessor = null) : IFeatureFilter, IContextualFeatureFilter<ITargetingContext>
{
    /// <summary>The filter's name in feature definitions.</summary>
    public const string Alias = "Cutover.Migration";

    /// <inheritdoc />
    public Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context, ITargetingContext appContext)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(client.IsCandidate(context.FeatureName, appContext?.UserId));
    }

    /// <inheritdoc />
    public async Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var targeting = accessor is null ? null : await accessor.GetContextAsync().ConfigureAwait(false);
        return client.IsCandidate(context.FeatureName, targeting?.UserId);
    }
}
