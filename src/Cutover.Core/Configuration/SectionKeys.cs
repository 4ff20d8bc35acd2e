using Cutover.Core.Values;
using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Configuration;

/// <summary>
/// The keys of one config section, each declared once with how its value is read into
/// <typeparamref name="T"/>. The "Allowed keys here" list and the "did you mean" suggestion of an
/// unknown key come from the same table as the reading, so a key can never be allowed without
/// being read, nor read without being allowed.
/// </summary>
internal sealed class SectionKeys<T>
{
    private readonly Dictionary<string, Func<T, YamlEntry, T>> _readers;

    /// <summary>The keys, in the order error messages list them, each with its reader.</summary>
    public SectionKeys(params (string Key, Func<T, YamlEntry, T> Read)[] keys)
    {
        Names = keys.Select(k => k.Key).ToArray();
        _readers = keys.ToDictionary(k => k.Key, k => k.Read, StringComparer.Ordinal);
    }

    /// <summary>The section's keys, in the order error messages list them.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Reads the known keys of the mapping <paramref name="node"/> into <paramref name="section"/>,
    /// in file order; a node that is not a mapping and every unknown key are reported under <paramref name="path"/>.
    /// </summary>
    public T Read(YamlConfigWalker walker, YamlNode node, string? migration, string path, T section)
    {
        foreach (var (key, value) in walker.Entries(node, migration, path, Names))
        {
            section = Read(key, section, new YamlEntry(walker, value, migration, path.Length == 0 ? key : $"{path}.{key}"));
        }

        return section;
    }

    /// <summary>Reads the value of <paramref name="key"/>, which must be one of <see cref="Names"/>.</summary>
    public T Read(string key, T section, YamlEntry entry) => _readers[key](section, entry);
}
