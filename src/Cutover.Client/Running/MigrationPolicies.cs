using System.Collections.Frozen;
using Cutover.Client.Setup;
using Microsoft.Extensions.Options;

namespace Cutover.Client.Running;

/// <summary>
/// Every migration's policy, checked when the client is built so a mistyped option fails the
/// application's start with the option's name rather than a call in production. A migration
/// without options runs on the defaults of <see cref="MigrationOptions"/>.
/// </summary>
internal sealed class MigrationPolicies
{
    private static readonly MigrationPolicy Defaults = MigrationPolicy.Of(new MigrationOptions(), CutoverClientOptions.Section);

    private readonly FrozenDictionary<string, MigrationPolicy> _policies;

    /// <summary>Checks and parses the options of every configured migration.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it and the fix.</exception>
    public MigrationPolicies(IOptions<CutoverClientOptions> options)
    {
        var errors = new List<string>();
        var policies = new Dictionary<string, MigrationPolicy>(StringComparer.Ordinal);
        foreach (var (name, migration) in options.Value.Migrations)
        {
            try
            {
                policies[name] = MigrationPolicy.Of(migration, $"{CutoverClientOptions.Section}:Migrations:{name}");
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(CutoverClientOptions.Section, typeof(CutoverClientOptions), errors);
        }

        _policies = policies.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The policy of <paramref name="migration"/>.</summary>
    public MigrationPolicy For(string migration) => _policies.GetValueOrDefault(migration) ?? Defaults;
}
