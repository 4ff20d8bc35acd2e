using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cutover.Kernel.Comparison;

/// <summary>
/// Compares two JSON documents structurally and lists every differing path with both values:
/// object keys in any order, numbers by value (within the tolerance), arrays by position unless
/// the rules call them unordered, and a change of type reported as such rather than as a value.
/// </summary>
public static class JsonComparer
{
    private const int MaxValueLength = 200;

    /// <summary>Compares legacy's answer with the candidate's under the rules.</summary>
    public static JsonComparison Compare(JsonElement legacy, JsonElement candidate, ComparisonRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var walk = new Walk(rules);
        walk.Node(legacy, candidate);
        return new JsonComparison(walk.Found, walk.Total);
    }

    private sealed class Walk(ComparisonRules rules)
    {
        private readonly List<PathSegment> _path = [];

        public List<Difference> Found { get; } = [];

        public int Total { get; private set; }

        public void Node(JsonElement legacy, JsonElement candidate)
        {
            if (Ignored())
            {
                return;
            }

            if (TypeOf(legacy) != TypeOf(candidate))
            {
                Report(DifferenceKind.TypeChanged, legacy, candidate);
                return;
            }

            switch (legacy.ValueKind)
            {
                case JsonValueKind.Object:
                    Objects(legacy, candidate);
                    break;
                case JsonValueKind.Array when Unordered():
                    UnorderedArrays(legacy, candidate);
                    break;
                case JsonValueKind.Array:
                    OrderedArrays(legacy, candidate);
                    break;
                case JsonValueKind.Number when !NumbersEqual(legacy, candidate):
                case JsonValueKind.String when legacy.GetString() != candidate.GetString():
                case JsonValueKind.True or JsonValueKind.False when legacy.ValueKind != candidate.ValueKind:
                    Report(DifferenceKind.ValueChanged, legacy, candidate);
                    break;
            }
        }

        private void Objects(JsonElement legacy, JsonElement candidate)
        {
            var theirs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in candidate.EnumerateObject())
            {
                theirs.TryAdd(property.Name, property.Value);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in legacy.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    continue;
                }

                _path.Add(PathSegment.Property(property.Name));
                if (theirs.TryGetValue(property.Name, out var other))
                {
                    Node(property.Value, other);
                }
                else
                {
                    ReportUnlessIgnored(DifferenceKind.Missing, property.Value, null);
                }

                _path.RemoveAt(_path.Count - 1);
            }

            foreach (var (name, value) in theirs)
            {
                if (!seen.Contains(name))
                {
                    _path.Add(PathSegment.Property(name));
                    ReportUnlessIgnored(DifferenceKind.Added, null, value);
                    _path.RemoveAt(_path.Count - 1);
                }
            }
        }

        private void OrderedArrays(JsonElement legacy, JsonElement candidate)
        {
            var left = legacy.EnumerateArray().ToList();
            var right = candidate.EnumerateArray().ToList();
            for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
            {
                _path.Add(PathSegment.Element(i));
                if (i >= right.Count)
                {
                    ReportUnlessIgnored(DifferenceKind.Missing, left[i], null);
                }
                else if (i >= left.Count)
                {
                    ReportUnlessIgnored(DifferenceKind.Added, null, right[i]);
                }
                else
                {
                    Node(left[i], right[i]);
                }

                _path.RemoveAt(_path.Count - 1);
            }
        }

        /// <summary>Elements are matched by their canonical text (keys sorted, ignored paths left out); what is left over differs.</summary>
        private void UnorderedArrays(JsonElement legacy, JsonElement candidate)
        {
            var unmatched = new Dictionary<string, Queue<JsonElement>>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in legacy.EnumerateArray())
            {
                var key = CanonicalElement(element, index++);
                if (!unmatched.TryGetValue(key, out var queue))
                {
                    unmatched[key] = queue = new Queue<JsonElement>();
                }

                queue.Enqueue(element);
            }

            var added = new List<JsonElement>();
            index = 0;
            foreach (var element in candidate.EnumerateArray())
            {
                if (unmatched.TryGetValue(CanonicalElement(element, index++), out var queue) && queue.Count > 0)
                {
                    queue.Dequeue();
                }
                else
                {
                    added.Add(element);
                }
            }

            _path.Add(new PathSegment(PathSegmentKind.AnyElement));
            foreach (var missing in unmatched.Values.SelectMany(q => q))
            {
                Report(DifferenceKind.Missing, missing, null);
            }

            foreach (var extra in added)
            {
                Report(DifferenceKind.Added, null, extra);
            }

            _path.RemoveAt(_path.Count - 1);
        }

        private string CanonicalElement(JsonElement element, int index)
        {
            _path.Add(PathSegment.Element(index));
            var text = new StringBuilder();
            Canonical(element, text);
            _path.RemoveAt(_path.Count - 1);
            return text.ToString();
        }

        private void Canonical(JsonElement element, StringBuilder text)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    text.Append('{');
                    foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        _path.Add(PathSegment.Property(property.Name));
                        if (!Ignored())
                        {
                            text.Append(JsonSerializer.Serialize(property.Name)).Append(':');
                            Canonical(property.Value, text);
                            text.Append(',');
                        }

                        _path.RemoveAt(_path.Count - 1);
                    }

                    text.Append('}');
                    break;
                case JsonValueKind.Array:
                    text.Append('[');
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        _path.Add(PathSegment.Element(i++));
                        if (!Ignored())
                        {
                            Canonical(item, text);
                        }

                        text.Append(',');
                        _path.RemoveAt(_path.Count - 1);
                    }

                    text.Append(']');
                    break;
                case JsonValueKind.Number:
                    text.Append(element.TryGetDecimal(out var number) ? number.ToString(CultureInfo.InvariantCulture) : element.GetRawText());
                    break;
                default:
                    text.Append(element.GetRawText());
                    break;
            }
        }

        private bool NumbersEqual(JsonElement legacy, JsonElement candidate)
        {
            if (rules.NumericTolerance > 0)
            {
                return Math.Abs(legacy.GetDouble() - candidate.GetDouble()) <= rules.NumericTolerance;
            }

            return legacy.TryGetDecimal(out var a) && candidate.TryGetDecimal(out var b)
                ? a == b
                : legacy.GetDouble().Equals(candidate.GetDouble());
        }

        private bool Ignored() => rules.Ignore.Any(pattern => pattern.Matches(_path));

        private bool Unordered() => rules.UnorderedArrays.Any(pattern => pattern.Matches(_path));

        private void ReportUnlessIgnored(DifferenceKind kind, JsonElement? legacy, JsonElement? candidate)
        {
            if (!Ignored())
            {
                Report(kind, legacy, candidate);
            }
        }

        private void Report(DifferenceKind kind, JsonElement? legacy, JsonElement? candidate)
        {
            Total++;
            if (Found.Count < rules.MaxDifferences)
            {
                Found.Add(new Difference(JsonPathPattern.Format(_path), kind, Shorten(legacy), Shorten(candidate)));
            }
        }

        private static string? Shorten(JsonElement? value)
        {
            if (value is not { } element)
            {
                return null;
            }

            var text = element.GetRawText();
            return text.Length <= MaxValueLength ? text : string.Concat(text.AsSpan(0, MaxValueLength - 1), "…");
        }

        private static JsonValueKind TypeOf(JsonElement element) =>
            element.ValueKind is JsonValueKind.False ? JsonValueKind.True : element.ValueKind;
    }
}
