namespace Cutover.Core.Configuration;

/// <summary>A config that cannot be used, with every problem found in it.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors) =>
        $"{errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")} in the config:{Environment.NewLine}" +
        string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
