using System.Runtime.CompilerServices;
using Cutover.Client.State;
using Microsoft.Extensions.Configuration;
using Microsoft.FeatureManagement;

namespace Cutover.Client.FeatureManagement;

/// <summary>
/// Shows every migration in the <see cref="MigrationTable"/> as a feature flag of the same name,
/// decided by <see cref="MigrationFeatureFilter"/>, so code that already asks a
/// <see cref="IFeatureManager"/> can follow a migration without learning the SDK. Flags that are
/// not migrations still come from configuration, as they did before; a migration the control
/// plane has not told this process about is off, as <see cref="ICutoverClient.IsCandidate"/> says.
/// </summary>
public sealed class MigrationFeatureDefinitionProvider : IFeatureDefinitionProvider, IDisposable
{
    private readonly MigrationTable _table;
    private readonly ConfigurationFeatureDefinitionProvider? _configured;

    /// <summary>Migrations from <paramref name="table"/>, other flags from <paramref name="configuration"/> when there is one.</summary>
    public MigrationFeatureDefinitionProvider(MigrationTable table, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _configured = configuration is null ? null : new ConfigurationFeatureDefinitionProvider(configuration);
    }

    /// <inheritdoc />
    public async Task<FeatureDefinition?> GetFeatureDefinitionAsync(string featureName)
    {
        ArgumentNullException.ThrowIfNull(featureName);
        if (_table.Find(featureName) is not null)
        {
            return Definition(featureName);
        }

        return _configured is null ? null : await _configured.GetFeatureDefinitionAsync(featureName).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        var migrations = _table.All;
        foreach (var setting in migrations)
        {
            yield return Definition(setting.Name);
        }

        if (_configured is null)
        {
            yield break;
        }

        await foreach (var feature in _configured.GetAllFeatureDefinitionsAsync().ConfigureAwait(false))
        {
            if (!migrations.Any(m => m.Name == feature.Name))
            {
                yield return feature;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _configured?.Dispose();

    private static FeatureDefinition Definition(string name) => new()
    {
        Name = name,
        EnabledFor = [new FeatureFilterConfiguration { Name = MigrationFeatureFilter.Alias }],
    };
}
