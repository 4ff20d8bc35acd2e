using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Cutover.Client.FeatureManagement;

/// <summary>
/// The filter of every migration read as a feature flag, for calls that pass a targeting context:
/// enabled exactly when <see cref="ICutoverClient.IsCandidate"/> says the candidate's branch, with
/// the context's user id as the sticky key, so <c>featureManager.IsEnabledAsync("billing-tax", context)</c>
/// and the proxy put a user on the same side.
/// </summary>
/// <param name="client">What decides.</param>
[FilterAlias(Alias)]
public sealed class MigrationFeatureFilter(ICutoverClient client) : IContextualFeatureFilter<ITargetingContext>
{
    /// <summary>The filter's name in feature definitions.</summary>
    public const string Alias = "Cutover.Migration";

    /// <inheritdoc />
    public Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context, ITargetingContext appContext)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(client.IsCandidate(context.FeatureName, appContext?.UserId));
    }
}
