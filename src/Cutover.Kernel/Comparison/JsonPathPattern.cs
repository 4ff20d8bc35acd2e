using System.Globalization;
using System.Text;

namespace Cutover.Kernel.Comparison;

/// <summary>
/// A path over a JSON document as users write them in <c>compare</c> rules: <c>$</c>, then
/// <c>.name</c>, <c>['any name']</c>, <c>[3]</c>, and the wildcards <c>[*]</c> (any element) and
/// <c>.*</c> (any property). <c>$.items[*].updatedAt</c> names the updatedAt of every item.
/// </summary>
public sealed class JsonPathPattern
{
    private readonly PathSegment[] _segments;

    private JsonPathPattern(string text, PathSegment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The steps after <c>$</c>; for a concrete path (no wildcards) these are the path itself.</summary>
    public IReadOnlyList<PathSegment> Segments => _segments;

    /// <summary>The forms allowed, for error messages.</summary>
    public const string AllowedForms = "a path starting with $, then .name, ['name'], [N], [*] or .* steps (e.g. $.items[*].updatedAt)";

    /// <summary>Parses a pattern; on failure <paramref name="error"/> says what is wrong at which position.</summary>
    public static bool TryParse(string? text, out JsonPathPattern? pattern, out string error)
    {
        pattern = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text) || text[0] != '$')
        {
            error = "it must start with $";
            return false;
        }

        var segments = new List<PathSegment>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] is not ('.' or '['))
                {
                    i++;
                }

                var name = text[start..i];
                if (name.Length == 0)
                {
                    error = $"a '.' at position {start} is not followed by a name";
                    return false;
                }

                segments.Add(name == "*" ? new PathSegment(PathSegmentKind.AnyProperty) : PathSegment.Property(name));
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    error = $"the '[' at position {i} is never closed";
                    return false;
                }

                var inside = text[(i + 1)..close];
                if (inside == "*")
                {
                    segments.Add(new PathSegment(PathSegmentKind.AnyElement));
                }
                else if (inside.Length >= 2 && inside[0] == '\'' && inside[^1] == '\'')
                {
                    segments.Add(PathSegment.Property(inside[1..^1]));
                }
                else if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(PathSegment.Element(index));
                }
                else
                {
                    error = $"'[{inside}]' is not an index, [*] or a quoted name like ['my key']";
                    return false;
                }

                i = close + 1;
            }
            else
            {
                error = $"unexpected '{text[i]}' at position {i}";
                return false;
            }
        }

        pattern = new JsonPathPattern(text, [.. segments]);
        return true;
    }

    /// <summary>Parses a pattern or throws <see cref="FormatException"/> naming the problem.</summary>
    public static JsonPathPattern Parse(string text) =>
        TryParse(text, out var pattern, out var error) ? pattern! : throw new FormatException($"'{text}' is not a JSON path: {error}; use {AllowedForms}");

    /// <summary>Whether a concrete path (from the document root) is exactly the one this pattern names.</summary>
    public bool Matches(IReadOnlyList<PathSegment> path)
    {
        if (path.Count != _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (!_segments[i].Accepts(path[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether this pattern names <paramref name="path"/> or one of its ancestors, so that what it
    /// covers includes the whole subtree, as ignoring or redacting a field does.
    /// </summary>
    public bool MatchesAncestorOf(IReadOnlyList<PathSegment> path)
    {
        if (path.Count < _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (!_segments[i].Accepts(path[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A path with every array position replaced by <c>[*]</c>, so a difference seen at
    /// <c>$.items[3].updatedAt</c> and one at <c>$.items[7].updatedAt</c> are one group; text that
    /// is not a JSON path (<c>status</c>, <c>header:ETag</c>, <c>body</c>) is returned unchanged.
    /// </summary>
    public static string Generalize(string path)
    {
        if (!TryParse(path, out var pattern, out _))
        {
            return path;
        }

        return Format(pattern!._segments.Select(s => s.Kind == PathSegmentKind.Element ? new PathSegment(PathSegmentKind.AnyElement) : s).ToList());
    }

    /// <summary>The text of a path: <c>$.items[3].updatedAt</c>, quoting names that need it.</summary>
    public static string Format(IReadOnlyList<PathSegment> path)
    {
        var text = new StringBuilder("$");
        foreach (var segment in path)
        {
            if (segment.Kind == PathSegmentKind.AnyElement)
            {
                text.Append("[*]");
            }
            else if (segment.Kind == PathSegmentKind.Element)
            {
                text.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (segment.Name is { Length: > 0 } && segment.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                text.Append('.').Append(segment.Name);
            }
            else
            {
                text.Append("['").Append(segment.Name).Append("']");
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
