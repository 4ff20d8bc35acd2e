namespace Cutover.Core.Configuration;

/// <summary>Reads and validates a config file in one step; either a usable definition or every problem.</summary>
public static class ConfigLoader
{
    /// <summary>Loads a file; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static CutoverDefinition LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(path, 0, null, string.Empty, $"cannot be read: {e.Message.TrimEnd('.')}. Pass the config file with -c PATH")]);
        }

        return Read(text, path, Path.GetDirectoryName(Path.GetFullPath(path))).Definition;
    }

    /// <summary>Loads YAML text, reading relative paths from the current folder; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static CutoverDefinition Load(string yaml, string source) => Read(yaml, source).Definition;

    /// <summary>
    /// Loads YAML text and keeps the config as written next to its validated definition, for
    /// <c>cutover apply</c>, which needs to know what the file says and not only what it means:
    /// whether it wrote a mode at all, and a plan in the form the store keeps.
    /// Relative paths in the file (<c>adminTls</c>) are read from <paramref name="folder"/>, the
    /// current folder when null. Throws <see cref="ConfigException"/> listing every problem.
    /// </summary>
    public static (CutoverConfig Written, CutoverDefinition Definition) Read(string yaml, string source, string? folder = null)
    {
        var (config, readErrors) = ConfigReader.Parse(yaml, source);
        var (definition, errors) = ConfigValidator.Validate(config with { Folder = folder });
        var all = readErrors.Concat(errors).OrderBy(e => e.Line).ToList();
        if (all.Count > 0 || definition is null)
        {
            throw new ConfigException(all);
        }

        return (config, definition with { Text = yaml });
    }
}
