using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Cutover.Core.Configuration;

/// <summary>
/// A canonical text of a validated value (a migration's field, a plan, a setting), equal for two
/// values read from the same YAML. Records compare their lists by reference, so two definitions
/// read from one file are never <c>Equals</c>; this walks the public properties instead, lists
/// in order and sets in sorted order. A property added to a definition later is covered without
/// a change here, which is what <c>cutover apply</c> relies on to refuse what it cannot change.
/// </summary>
public static class CanonicalText
{
    // Definitions are shallow trees; a deeper walk means a cycle, which is a bug to report, not to follow.
    private const int MaxDepth = 32;

    /// <summary>The canonical text of <paramref name="value"/>.</summary>
    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Append(text, value, 0);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"{value?.GetType().Name} is nested more than {MaxDepth} levels deep; a canonical text needs a tree of values.");
        }

        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string or Uri:
                text.Append('"').Append(value).Append('"');
                return;
            case IFormattable or IConvertible:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            case IEnumerable items:
                var rendered = items.Cast<object?>().Select(item => Of(item, depth + 1));
                text.Append('[').AppendJoin(',', IsSet(value.GetType()) ? rendered.Order(StringComparer.Ordinal) : rendered).Append(']');
                return;
        }

        text.Append(value.GetType().Name).Append('{');
        var first = true;
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            text.Append(first ? string.Empty : ",").Append(property.Name).Append('=');
            Append(text, property.GetValue(value), depth + 1);
            first = false;
        }

        text.Append('}');
    }

    private static string Of(object? value, int depth)
    {
        var text = new StringBuilder();
        Append(text, value, depth);
        return text.ToString();
    }

    private static bool IsSet(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IReadOnlySet<>) || i.GetGenericTypeDefinition() == typeof(ISet<>)));
}
