using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Configuration;

/// <summary>
/// Reads YAML nodes into config values while collecting every problem (unknown keys, wrong
/// shapes) with its line, instead of stopping at the first as a deserializer would.
/// </summary>
internal sealed class YamlConfigWalker(string source)
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>
    /// The root node of YAML text, or null with the reason when it is not YAML or is empty
    /// (<paramref name="emptyMessage"/> says what the file needs).
    /// </summary>
    public static (YamlNode? Root, ConfigError? Error) Load(string yaml, string source, string emptyMessage)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException) when (TabIndentedLine(yaml) is > 0 and var line)
        {
            // YamlDotNet places a tab error at the start of the mapping it was scanning, often line 1.
            return (null, new ConfigError(source, line, null, string.Empty, "not valid YAML: this line is indented with a tab; YAML indents with spaces only, so replace the tab with spaces"));
        }
        catch (YamlException e)
        {
            return (null, new ConfigError(source, (int)e.Start.Line, null, string.Empty, $"not valid YAML: {e.InnerException?.Message ?? e.Message}"));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, without a position, when the text ends inside a flow collection.
            var last = yaml.TrimEnd().Split('\n').Length;
            return (null, new ConfigError(source, last, null, string.Empty, "not valid YAML: the file ends inside a '{' or '[' that is never closed; close it with '}' or ']'"));
        }

        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }
            ? (null, new ConfigError(source, 0, null, string.Empty, emptyMessage))
            : (stream.Documents[0].RootNode, null);
    }

    /// <summary>The 1-based number of the first line whose indentation holds a tab, or 0 when none does.</summary>
    private static int TabIndentedLine(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].AsSpan()[..(lines[i].Length - lines[i].TrimStart(' ', '\t').Length)];
            if (indent.Contains('\t'))
            {
                return i + 1;
            }
        }

        return 0;
    }

    public void Error(YamlNode? node, string? migration, string key, string message) =>
        _errors.Add(new ConfigError(source, node is null ? 0 : (int)node.Start.Line, migration, key, message));

    /// <summary>Whether a node is a mapping; if not, that is reported, listing the keys it should have.</summary>
    public bool IsMapping(YamlNode node, string? migration, string path, IReadOnlyList<string> allowed)
    {
        if (node is YamlMappingNode)
        {
            return true;
        }

        Error(node, migration, path, $"expected a mapping of keys ({string.Join(", ", allowed)}), found {Describe(node)}");
        return false;
    }

    /// <summary>The entries of a mapping whose keys are known; unknown keys are reported with a suggestion.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, string? migration, string path, IReadOnlyList<string> allowed)
    {
        if (!IsMapping(node, migration, path, allowed))
        {
            yield break;
        }

        var map = (YamlMappingNode)node;

        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var fullKey = path.Length == 0 ? key : path + "." + key;
            if (allowed.Contains(key, StringComparer.Ordinal))
            {
                yield return (key, value);
            }
            else
            {
                var suggestion = Suggest(key, allowed);
                Error(keyNode, migration, fullKey,
                    $"unknown key{(suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?")} Allowed keys here: {string.Join(", ", allowed)}");
            }
        }
    }

    public string? Scalar(YamlNode node, string? migration, string key)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Error(node, migration, key, $"expected a single value, found {Describe(node)}");
        return null;
    }

    public double? Number(YamlNode node, string? migration, string key, string allowed)
    {
        var text = Scalar(node, migration, key);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        Error(node, migration, key, $"'{text}' is not a number; {allowed}");
        return null;
    }

    public bool? Boolean(YamlNode node, string? migration, string key)
    {
        var text = Scalar(node, migration, key);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(node, migration, key, $"'{text}' is not true or false");
        return null;
    }

    public List<string> StringList(YamlNode node, string? migration, string key) => LinedList(node, migration, key).ConvertAll(item => item.Text);

    /// <summary>A list of values (or one plain value) with the line of each, so a bad entry can be pointed at rather than its list.</summary>
    public List<(string Text, int Line)> LinedList(YamlNode node, string? migration, string key)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                var items = new List<(string, int)>();
                foreach (var item in sequence.Children)
                {
                    if (Scalar(item, migration, key) is { } text)
                    {
                        items.Add((text, (int)item.Start.Line));
                    }
                }

                return items;
            case YamlScalarNode { Value: { } single }:
                return [(single, (int)node.Start.Line)];
            default:
                Error(node, migration, key, $"expected a list of values, found {Describe(node)}");
                return [];
        }
    }

    public Dictionary<string, string> StringMap(YamlNode node, string? migration, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (node is not YamlMappingNode map)
        {
            Error(node, migration, key, $"expected a mapping of NAME: VALUE, found {Describe(node)}");
            return result;
        }

        foreach (var (name, value) in map.Children)
        {
            var headerName = (name as YamlScalarNode)?.Value ?? string.Empty;
            if (result.ContainsKey(headerName))
            {
                Error(name, migration, key + "." + headerName, "is given twice (header names ignore case); keep one");
            }
            else if (Scalar(value, migration, key + "." + headerName) is { } text)
            {
                result[headerName] = text;
            }
        }

        return result;
    }

    private static string Describe(YamlNode? node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: null or "" } => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "nothing",
    };

    private static string? Suggest(string key, IReadOnlyList<string> allowed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in allowed)
        {
            var distance = string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance(candidate, key);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
