using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Configuration;

/// <summary>
/// One key's value as a section reader sees it: the node together with the migration and the full
/// key that errors about it name, so a reader in a <see cref="SectionKeys{T}"/> table is one line.
/// </summary>
internal readonly record struct YamlEntry(YamlConfigWalker Walker, YamlNode Node, string? Migration, string Key)
{
    /// <summary>The value's line, which sections keep so their later errors point at them.</summary>
    public int Line => (int)Node.Start.Line;

    /// <summary>Whether the key is written with no value, which a section may take as "none".</summary>
    public bool IsEmpty => Node is YamlScalarNode { Value: null or "" };

    public string? Scalar() => Walker.Scalar(Node, Migration, Key);

    public double? Number(string allowed) => Walker.Number(Node, Migration, Key, allowed);

    public bool? Boolean() => Walker.Boolean(Node, Migration, Key);

    public List<string> StringList() => Walker.StringList(Node, Migration, Key);

    public List<(string Text, int Line)> LinedList() => Walker.LinedList(Node, Migration, Key);

    public Dictionary<string, string> StringMap() => Walker.StringMap(Node, Migration, Key);

    /// <summary>Reads the value as a nested section whose keys are <paramref name="keys"/>, under this key.</summary>
    public T Read<T>(SectionKeys<T> keys, T section) => keys.Read(Walker, Node, Migration, Key, section);
}
